import { createHmac } from 'node:crypto';

import {
  decodeAlterationResults,
  encodeDeletions,
  encodeUpsertions,
  saltedPasswordOf,
  SCRAM_ITERATIONS,
} from './alter-user-scram-credentials';

describe('AlterUserScramCredentials v0', () => {
  it('salts the password as RFC 5802 Hi() with HMAC-SHA-512', () => {
    const salt = Buffer.from('salt');
    // Hi(p, s, 1) is U1 = HMAC(p, s || INT(1)).
    const u1 = createHmac('sha512', 'pencil')
      .update(Buffer.concat([salt, Buffer.from([0, 0, 0, 1])]))
      .digest();
    expect(saltedPasswordOf('pencil', salt, 1)).toEqual(u1);
  });

  it('encodes one upsertion after the empty header tags, with no deletions', () => {
    const body = encodeUpsertions([{ name: 'model-iris', password: 'p' }]);
    // header tags 0, deletions [] (1), upsertions [1] (2), name length + 1
    expect([...body.subarray(0, 4)]).toEqual([0, 1, 2, 11]);
    expect(body.subarray(4, 14).toString()).toBe('model-iris');
    expect(body.readInt8(14)).toBe(2);
    expect(body.readInt32BE(15)).toBe(SCRAM_ITERATIONS);
    expect(body.readUInt8(19)).toBe(33); // a 32-byte salt
  });

  it('encodes deletions of SCRAM-SHA-512 credentials, with no upsertions', () => {
    const body = encodeDeletions(['model-a', 'model-b']);
    // header tags 0, deletions [2] (3), then per user: name length + 1, name, mechanism, tags
    const user = (name: string) => [name.length + 1, ...Buffer.from(name), 2, 0];
    expect([...body]).toEqual([0, 3, ...user('model-a'), ...user('model-b'), 1, 0]);
  });

  it('decodes the results the broker answers', () => {
    const payload = Buffer.concat([
      Buffer.from([0]), // header tags
      Buffer.from([0, 0, 0, 0]), // throttle
      Buffer.from([2, 11]),
      Buffer.from('model-iris'),
      Buffer.from([0, 58, 6]),
      Buffer.from('nope!'),
      Buffer.from([0, 0]),
    ]);
    expect(decodeAlterationResults(payload)).toEqual([
      { user: 'model-iris', errorCode: 58, errorMessage: 'nope!' },
    ]);
  });
});
