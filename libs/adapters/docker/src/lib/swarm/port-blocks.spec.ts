import { DEFAULT_PORT_RANGE, freePortBlock } from './port-blocks';

describe(freePortBlock.name, () => {
  it('takes the first block of the range when nothing is used', () => {
    expect(freePortBlock(DEFAULT_PORT_RANGE, [])).toBe(21_000);
  });

  it('skips the blocks in use and reuses a freed one', () => {
    expect(freePortBlock(DEFAULT_PORT_RANGE, [21_000, 21_100, 21_300])).toBe(21_200);
  });

  it('counts a base from another range against both blocks it overlaps', () => {
    expect(freePortBlock({ first: 21_000, last: 21_399 }, [21_050])).toBe(21_200);
  });

  it('answers undefined when the range is full', () => {
    const range = { first: 30_000, last: 30_199 };
    expect(freePortBlock(range, [30_000, 30_100])).toBeUndefined();
    expect(freePortBlock({ first: 30_000, last: 30_050 }, [])).toBeUndefined();
  });
});
