import { installState, lockDigest } from './install-state';
import { peersVenv } from './peer-paths';

describe('installState', () => {
  const venv = '/srv/bench-peers/venv';
  const digest = lockDigest('bentoml==1.4.40\n');

  it('is installed when the stamp holds the digest of this lock and every program is there', () => {
    expect(
      installState({ venv, lockDigest: digest, stamp: `${digest}\n`, missingPrograms: [] }),
    ).toEqual({
      installed: true,
    });
  });

  it.each([
    [
      'no stamp (never installed, or an install that did not finish)',
      undefined,
      [],
      /no peers venv/,
    ],
    ['the stamp of another lock', lockDigest('bentoml==1.4.39\n'), [], /another requirements.lock/],
    ['a program missing from the venv', digest, ['bentoml'], /lacks bentoml/],
  ])('is not installed with %s, and says to run install.sh', (_, stamp, missingPrograms, why) => {
    const state = installState({ venv, lockDigest: digest, stamp, missingPrograms });
    expect(state.installed).toBe(false);
    expect(state.reason).toMatch(why);
    expect(state.reason).toContain('tools/bench/peers/install.sh');
  });
});

describe('lockDigest', () => {
  // install.sh stamps `sha256sum` of the lock: lowercase hex. FIPS 180-2's vector for "abc".
  it('is the lowercase hex sha256 that sha256sum prints', () => {
    expect(lockDigest('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('peersVenv', () => {
  it('lives under MLRUN_SERVICES_DIR, like the services', () => {
    expect(peersVenv({ MLRUN_SERVICES_DIR: '/srv/s' })).toBe('/srv/s/bench-peers/venv');
  });

  it('defaults to ~/.ml-run/services', () => {
    expect(peersVenv({})).toMatch(/\/\.ml-run\/services\/bench-peers\/venv$/);
  });
});
