import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// tools/services/kafka/auth.sh decides whether a cached data dir may be kept: only when it
// was formatted with today's SCRAM users. Run here on a fake data dir (no JVM): the same
// functions up.sh calls before it formats.
const KAFKA_SCRIPTS = path.resolve(__dirname, '../../../../../tools/services/kafka');
const run = promisify(execFile);

describe('kafka up.sh: a cached data dir', () => {
  let state: string;
  const data = () => path.join(state, 'kafka/data');

  beforeEach(() => {
    state = mkdtempSync(path.join(tmpdir(), 'kafka-format-'));
    mkdirSync(data(), { recursive: true });
    // What StorageTool format leaves, as an older up.sh (no SCRAM users) left it.
    writeFileSync(path.join(data(), 'meta.properties'), 'version=1\n');
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  /** Sources common.sh and auth.sh as up.sh does and runs `script` after them. */
  async function withAuth(script: string, env: Record<string, string> = {}): Promise<void> {
    const prelude = `set -euo pipefail; source ${KAFKA_SCRIPTS}/common.sh; source ${KAFKA_SCRIPTS}/auth.sh; load_credentials;`;
    await run('bash', ['-c', `${prelude} ${script}`], {
      env: { PATH: process.env['PATH'] ?? '', MLRUN_KAFKA_SERVICES_DIR: state, ...env },
    });
  }
  const stamp = () => withAuth('(umask 077 && auth_fingerprint >"$KAFKA_AUTH_STAMP")');

  it('is formatted again when it was formatted without authentication', async () => {
    await withAuth('drop_stale_data');
    expect(existsSync(data())).toBe(false);
  });

  it('is kept when it was formatted with the same users and passwords (the control)', async () => {
    await stamp();
    await withAuth('drop_stale_data');
    expect(existsSync(path.join(data(), 'meta.properties'))).toBe(true);
  });

  it('is formatted again when the platform password changed', async () => {
    await stamp();
    await withAuth('drop_stale_data', { MLRUN_KAFKA_PASSWORD: 'another-password-0123456789' });
    expect(existsSync(data())).toBe(false);
  });

  it('keeps the generated passwords readable by their owner only', async () => {
    await withAuth('true');
    for (const file of ['broker.password', 'platform.password', 'admin.properties']) {
      expect(statSync(path.join(state, 'kafka/credentials', file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(path.join(state, 'kafka/credentials')).mode & 0o777).toBe(0o700);
  });
});
