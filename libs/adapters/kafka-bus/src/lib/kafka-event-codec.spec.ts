import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';
import { decodeEvent, encodeEvent, eventKey, TYPE_HEADER } from './kafka-event-codec';

const REVOKED = { type: 'token.revoked', tokenHash: '9b2e', sub: 'ada', revokedAt: '2026-11-28' };

describe(encodeEvent.name, () => {
  it('writes the event as JSON, with its type as a header and its subject as the key', () => {
    const sut = encodeEvent(REVOKED);
    expect(sut).toEqual({
      key: '9b2e',
      value: JSON.stringify(REVOKED),
      headers: { [TYPE_HEADER]: 'token.revoked' },
    });
  });

  it('sends no key when the event names no subject', () => {
    expect(encodeEvent({ type: 'cluster.hello' }).key).toBeNull();
  });

  it('refuses an event without a string type', () => {
    expect(() => encodeEvent({ type: '' })).toThrow(KafkaBusError);
    expect(() => encodeEvent({} as { type: string })).toThrow('non-empty string type');
  });

  it('refuses an event that is not JSON-serializable', () => {
    const cyclic: Record<string, unknown> = { type: 'model.uploaded' };
    cyclic['self'] = cyclic;
    expect(() => encodeEvent(cyclic as { type: string })).toThrow(
      expect.objectContaining({ code: KafkaBusErrorCode.InvalidEvent }),
    );
  });
});

describe(eventKey.name, () => {
  it.each([
    [{ type: 'token.revoked', tokenHash: 'h1', name: 'n' }, 'h1'],
    [{ type: 'model.uploaded', name: 'iris', version: '1.0.0' }, 'iris'],
    [{ type: 'deployment.ready', deployment: { name: 'iris' } }, 'iris'],
    [{ type: 'alias.changed', name: '' }, undefined],
    [{ type: 'other', name: 42 }, undefined],
  ])('keys %j by %p', (event, key) => {
    expect(eventKey(event)).toBe(key);
  });
});

describe(decodeEvent.name, () => {
  it('reads back what encodeEvent wrote', () => {
    const { value } = encodeEvent(REVOKED);
    expect(decodeEvent(Buffer.from(value as string))).toEqual({ ok: true, event: REVOKED });
  });

  it.each([
    [null, 'empty value'],
    ['', 'empty value'],
    ['{not json', 'value is not JSON'],
    ['[1,2]', 'value is not a JSON object'],
    ['"token.revoked"', 'value is not a JSON object'],
    ['null', 'value is not a JSON object'],
    ['{"tokenHash":"h"}', 'value has no string type'],
    ['{"type":7}', 'value has no string type'],
  ])('rejects %p: %s', (value, reason) => {
    const buffer = value === null ? null : Buffer.from(value);
    expect(decodeEvent(buffer)).toEqual({ ok: false, reason });
  });
});
