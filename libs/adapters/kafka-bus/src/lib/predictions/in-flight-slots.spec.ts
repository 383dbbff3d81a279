import { InFlightSlots } from './in-flight-slots';

describe(InFlightSlots.name, () => {
  it('holds a third acquirer until one of two slots is released', async () => {
    const sut = new InFlightSlots(2);
    await sut.acquire();
    await sut.acquire();
    let third = false;
    const waiting = sut.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    sut.release();
    await waiting;
    expect(sut.inFlight).toBe(2);
  });
});
