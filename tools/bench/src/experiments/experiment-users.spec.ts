import { scryptSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { experimentClients, passwordHash, writeExperimentUsers } from './experiment-users';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('experimentClients', () => {
  it('makes distinct users with passwords long enough for the issuer (12+)', () => {
    const clients = experimentClients(3);
    expect(clients.map((c) => c.username)).toEqual([
      'exp-user-0001',
      'exp-user-0002',
      'exp-user-0003',
    ]);
    expect(new Set(clients.map((c) => c.password)).size).toBe(3);
    for (const c of clients) expect(c.password.length).toBeGreaterThanOrEqual(12);
  });

  it('refuses a count that is not a whole number of at least 1', () => {
    expect(() => experimentClients(0)).toThrow(/at least 1/);
  });
});

describe('passwordHash', () => {
  it('stores its cost and derives the key the issuer will derive', async () => {
    const encoded = await passwordHash('correct horse battery', CHEAP);
    const [kind, n, r, p, salt, key] = encoded.split('$');
    expect([kind, n, r, p]).toEqual(['scrypt', '1024', '8', '1']);
    const derived = scryptSync(
      'correct horse battery',
      Buffer.from(salt ?? '', 'base64'),
      32,
      CHEAP,
    );
    expect(derived.toString('base64')).toBe(key);
  });
});

describe('writeExperimentUsers', () => {
  it('writes a version-1 users file, clients in predictors, readable by its owner only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'exp-users-'));
    try {
      const file = path.join(dir, 'users.json');
      await writeExperimentUsers(file, experimentClients(2), CHEAP);
      const document = JSON.parse(readFileSync(file, 'utf8'));
      expect(document.version).toBe(1);
      expect(document.groups.predictors).toEqual(['predict:*']);
      expect(Object.keys(document.users)).toEqual(['exp-user-0001', 'exp-user-0002']);
      expect(document.users['exp-user-0001'].groups).toEqual(['predictors']);
      expect(document.users['exp-user-0001'].passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
