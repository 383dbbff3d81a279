import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { kubernetesIsUp, kubernetesUnderTest } from './kubernetes-under-test';

// What tools/services/kubernetes/up.sh writes once the node is Ready.
function writeFacts(services: string, facts: Record<string, string>): void {
  mkdirSync(path.join(services, 'kubernetes'), { recursive: true });
  writeFileSync(path.join(services, 'kubernetes', 'cluster.json'), JSON.stringify(facts));
}

describe(kubernetesUnderTest.name, () => {
  let services = '';
  beforeEach(() => {
    services = mkdtempSync(path.join(os.tmpdir(), 'k8s-facts-'));
  });
  afterEach(() => rmSync(services, { recursive: true, force: true }));

  it('says how to start the cluster when up.sh has not brought it up', () => {
    const env = { MLRUN_SERVICES_DIR: services };
    expect(kubernetesIsUp(env)).toBe(false);
    expect(() => kubernetesUnderTest(env)).toThrow(
      /the local Kubernetes is not up .*: run tools\/services\/kubernetes\/up\.sh/,
    );
  });

  it('reads the facts up.sh wrote, and MLRUN_KUBECONFIG replaces the kubeconfig', () => {
    const admin = path.join(services, 'kubernetes', 'admin.kubeconfig');
    const other = path.join(services, 'viewer.kubeconfig');
    writeFacts(services, { kubeconfigPath: admin, nodeIp: '10.1.2.3', podCidr: '10.9.0.0/16' });
    writeFileSync(admin, 'admin');
    writeFileSync(other, 'viewer');

    const env = { MLRUN_SERVICES_DIR: services };
    expect(kubernetesIsUp(env)).toBe(true);
    expect(kubernetesUnderTest(env)).toMatchObject({
      kubeconfigPath: admin,
      nodeIp: '10.1.2.3',
      podCidr: '10.9.0.0/16',
    });
    expect(kubernetesUnderTest({ ...env, MLRUN_KUBECONFIG: other }).kubeconfigPath).toBe(other);
  });

  it('refuses facts whose kubeconfig is gone', () => {
    writeFacts(services, { kubeconfigPath: path.join(services, 'missing.kubeconfig') });
    expect(() => kubernetesUnderTest({ MLRUN_SERVICES_DIR: services })).toThrow(
      /no kubeconfig at .*missing\.kubeconfig/,
    );
  });
});
