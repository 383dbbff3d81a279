import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { loadConfig } from '@ml-run/config';
import { MemoryDeployer } from '@ml-run/deployer/testing';
import type { KubernetesDeployerOptions } from '@ml-run/kubernetes';

import { kubernetesDeployerOf } from './kubernetes-target';
import { standaloneConfigShape } from './standalone-adapters';

const INTROSPECTION_TOKEN = 'introspection-credential-0123456789abcdef';
const DOCKER = 'unix:///run/ml-run/docker.sock';

describe(kubernetesDeployerOf.name, () => {
  let dir: string;
  let kubeconfig: string;
  let template: string;
  let created: KubernetesDeployerOptions[];
  const create = async (options: KubernetesDeployerOptions) => {
    created.push(options);
    return new MemoryDeployer();
  };
  const configOf = (env: Record<string, string>) =>
    loadConfig(standaloneConfigShape, {
      MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
      MLRUN_DOCKER_HOST: DOCKER,
      ...env,
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'builder-kubernetes-'));
    kubeconfig = path.join(dir, 'admin.kubeconfig');
    template = path.join(dir, 'ml-run-model.yaml');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    await writeFile(template, 'kind: Template\n');
    created = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('hands the deployer the kubeconfig, namespace, installation, template and the pull credential only', async () => {
    const config = configOf({
      MLRUN_KUBECONFIG: kubeconfig,
      MLRUN_KUBERNETES_NAMESPACE: 'ml-run-models',
      MLRUN_KUBERNETES_TEMPLATE: template,
      MLRUN_REGISTRY_NAMESPACE: 'prod',
    });
    const registry = {
      address: '127.0.0.1:5000',
      push: { username: 'mlrun-push', password: 'push-secret-value' },
      pull: { username: 'mlrun-pull', password: 'pull-secret-value' },
    };
    await kubernetesDeployerOf(config, registry, { create, serviceAccountDir: dir });
    expect(created).toEqual([
      expect.objectContaining({
        kubeconfigPath: kubeconfig,
        namespace: 'ml-run-models',
        installation: 'prod',
        templatePath: template,
        pullSecret: {
          server: '127.0.0.1:5000',
          username: 'mlrun-pull',
          password: 'pull-secret-value',
        },
      }),
    ]);
    expect(JSON.stringify(created)).not.toContain('push-secret-value');
  });

  it('finds the template next to the app when none is named (dist/apps/builder)', async () => {
    const config = configOf({
      MLRUN_KUBECONFIG: kubeconfig,
      MLRUN_KUBERNETES_NAMESPACE: 'models',
    });
    await kubernetesDeployerOf(config, undefined, { create, appDir: dir });
    expect(created[0]).toMatchObject({ templatePath: template });
    expect(created[0]).not.toHaveProperty('pullSecret');
  });

  it("uses the pod's service account and namespace in a pod, when no kubeconfig is named", async () => {
    await writeFile(path.join(dir, 'token'), 'service-account-token');
    await writeFile(path.join(dir, 'namespace'), 'ml-run\n');
    const config = configOf({ MLRUN_KUBERNETES_TEMPLATE: template });
    await kubernetesDeployerOf(config, undefined, { create, serviceAccountDir: dir });
    expect(created[0]).toMatchObject({ namespace: 'ml-run' });
    expect(created[0]).not.toHaveProperty('kubeconfigPath');
  });

  it('refuses to start outside a pod without a kubeconfig or namespace, naming both, before it connects', async () => {
    const config = configOf({ MLRUN_KUBERNETES_TEMPLATE: template });
    const start = kubernetesDeployerOf(config, undefined, { create, serviceAccountDir: dir });
    await expect(start).rejects.toThrow(
      /MLRUN_KUBECONFIG must name a kubeconfig file for the openshift target: outside a pod.*; MLRUN_KUBERNETES_NAMESPACE must name the namespace/,
    );
    expect(created).toEqual([]);
  });

  it('refuses a kubeconfig or template it cannot read, and a missing image engine', async () => {
    const config = configOf({
      MLRUN_KUBECONFIG: path.join(dir, 'missing.kubeconfig'),
      MLRUN_KUBERNETES_NAMESPACE: 'models',
      MLRUN_DOCKER_HOST: '',
    });
    const start = kubernetesDeployerOf(config, undefined, { create, appDir: os.tmpdir() });
    await expect(start).rejects.toThrow(
      new RegExp(
        [
          'MLRUN_KUBECONFIG must name a readable kubeconfig file',
          'MLRUN_KUBERNETES_TEMPLATE must name a readable ml-run-model template',
          'MLRUN_DOCKER_HOST must be set for the openshift target',
        ].join('.*'),
      ),
    );
  });

  it('refuses a namespace that is not a namespace name', () => {
    expect(() => configOf({ MLRUN_KUBERNETES_NAMESPACE: 'ML_Run' })).toThrow(
      /MLRUN_KUBERNETES_NAMESPACE must be a namespace name/,
    );
  });
});
