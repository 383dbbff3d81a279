import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { registryAccessOf } from './docker.config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe(registryAccessOf.name, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-access-'));
  const caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, PEM);

  it('gives each role its own credential, and the CA text', () => {
    const sut = registryAccessOf({
      MLRUN_REGISTRY: '127.0.0.1:5000',
      MLRUN_REGISTRY_CA: caFile,
      MLRUN_REGISTRY_PUSH_USERNAME: 'mlrun-push',
      MLRUN_REGISTRY_PUSH_PASSWORD: 'push-secret',
      MLRUN_REGISTRY_PULL_USERNAME: 'mlrun-pull',
      MLRUN_REGISTRY_PULL_PASSWORD: 'pull-secret',
    });
    expect(sut).toEqual({
      address: '127.0.0.1:5000',
      ca: PEM,
      push: { username: 'mlrun-push', password: 'push-secret' },
      pull: { username: 'mlrun-pull', password: 'pull-secret' },
    });
  });

  it('is anonymous with no credential set (an open registry)', () => {
    expect(registryAccessOf({ MLRUN_REGISTRY: '127.0.0.1:5000' })).toEqual({
      address: '127.0.0.1:5000',
    });
  });

  it('refuses half a credential and an unreadable CA, naming each variable, never a value', () => {
    const attempt = () =>
      registryAccessOf({
        MLRUN_REGISTRY: '127.0.0.1:5000',
        MLRUN_REGISTRY_CA: path.join(dir, 'missing.crt'),
        MLRUN_REGISTRY_PUSH_PASSWORD: 'push-secret',
        MLRUN_REGISTRY_PULL_USERNAME: 'mlrun-pull',
      });
    expect(attempt).toThrow(/MLRUN_REGISTRY_CA must name a readable PEM/);
    expect(attempt).toThrow(
      /MLRUN_REGISTRY_PUSH_USERNAME must be set with MLRUN_REGISTRY_PUSH_PASSWORD/,
    );
    expect(attempt).toThrow(
      /MLRUN_REGISTRY_PULL_PASSWORD must be set with MLRUN_REGISTRY_PULL_USERNAME/,
    );
    expect(attempt).not.toThrow(/push-secret/);
  });

  it('refuses a CA file that holds no certificate', () => {
    const notPem = path.join(dir, 'key.pem');
    writeFileSync(notPem, 'not a certificate');
    expect(() =>
      registryAccessOf({ MLRUN_REGISTRY: '127.0.0.1:5000', MLRUN_REGISTRY_CA: notPem }),
    ).toThrow(/holds no PEM certificate/);
  });
});
