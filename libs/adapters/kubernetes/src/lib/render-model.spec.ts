import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubernetesObject, V1Deployment, V1Secret, V1Service } from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Secret, Service } from 'kubernetes-models/v1';

import type { DeploymentSpec } from '@ml-run/deployer';
import { parseTemplate, validateTemplateSchema } from '@ml-run/openshift';

import { modelParameters } from './model-parameters';
import { modelRenderer } from './render-model';

const TEMPLATE = path.resolve(__dirname, '../../../../../deploy/openshift/ml-run-model.yaml');
const IMAGE = `127.0.0.1:5000/ml-run/iris@sha256:${'a'.repeat(64)}`;
const ENV = {
  MLRUN_AUTH_MODE: 'bearer',
  MLRUN_INTROSPECTION_TOKEN: 'a-credential-of-32-characters-or-more',
};

const spec = (extra: Partial<DeploymentSpec> = {}): DeploymentSpec & { image: string } => ({
  name: 'iris',
  version: '1.0.0+6526c66fa490',
  modelDir: '/unused',
  replicas: 3,
  env: ENV,
  readyTimeoutMs: 1_000,
  image: IMAGE,
  resources: { cpu: '250m', memory: '256Mi' },
  ...extra,
});

async function rendered(extra: Partial<DeploymentSpec> = {}, pullSecretName?: string) {
  const render = await modelRenderer(TEMPLATE);
  const settings = {
    installation: 'default',
    wrapperPort: 9000,
    ...(pullSecretName ? { pullSecretName } : {}),
  };
  const objects = render(modelParameters(spec(extra), settings));
  const of = <T extends KubernetesObject>(kind: string) =>
    objects.find((each) => each.kind === kind) as T;
  return {
    objects,
    deployment: of<V1Deployment>('Deployment'),
    service: of<V1Service>('Service'),
    secret: of<V1Secret>('Secret'),
  };
}

describe('the ml-run-model template, rendered for one version', () => {
  it('is a Template by openshift/api schema', async () => {
    const template = parseTemplate(await readFile(TEMPLATE, 'utf8'), TEMPLATE);
    expect(validateTemplateSchema(template)).toEqual({ valid: true, errors: [] });
  });

  it('is a Secret of the settings, a Service and a Deployment, all labelled alike', async () => {
    const { objects, secret, deployment } = await rendered();
    expect(objects.map((each) => each.kind)).toEqual(['Secret', 'Service', 'Deployment']);
    const instance = deployment.metadata?.name;
    expect(instance).toMatch(/^mlrun-iris-[0-9a-f]{12}$/);
    for (const object of objects)
      expect(object.metadata?.labels).toMatchObject({
        'app.kubernetes.io/instance': instance,
        'ml-run.io/model': 'iris',
        'ml-run.io/version': '1.0.0_6526c66fa490',
        'ml-run.io/installation': 'default',
      });
    expect(deployment.metadata?.annotations).toEqual({ 'ml-run.io/version': '1.0.0+6526c66fa490' });
    // The credential is in the Secret only, whole.
    expect(secret.data).toEqual({
      MLRUN_AUTH_MODE: Buffer.from(ENV.MLRUN_AUTH_MODE).toString('base64'),
      MLRUN_INTROSPECTION_TOKEN: Buffer.from(ENV.MLRUN_INTROSPECTION_TOKEN).toString('base64'),
    });
    const token = ENV.MLRUN_INTROSPECTION_TOKEN;
    for (const form of [token, Buffer.from(token).toString('base64')])
      expect(JSON.stringify(deployment)).not.toContain(form);
  });

  it('renders objects valid by the Kubernetes OpenAPI schema', async () => {
    for (const extra of [{}, { resources: { cpu: '1', memory: '1Gi', gpu: 1 } }]) {
      const { deployment, service, secret } = await rendered(extra, 'mlrun-default-pull');
      expect(() => new Deployment(deployment as never).validate()).not.toThrow();
      expect(() => new Service(service as never).validate()).not.toThrow();
      expect(() => new Secret(secret as never).validate()).not.toThrow();
    }
    // The check does check: a replica count as text is refused.
    const { deployment } = await rendered();
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: '3' } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
  });

  it('runs the image by digest as a restricted pod, with typed numbers and no GPU', async () => {
    const { deployment, service } = await rendered();
    const pod = deployment.spec?.template.spec;
    const [container, model] = pod?.containers ?? [];
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(container?.image).toBe(IMAGE);
    expect(model?.image).toBe(IMAGE);
    // The manifest's resources are the model's; the wrapper's small share comes on top.
    expect(model?.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '250m', memory: '256Mi', 'nvidia.com/gpu': 0 },
    });
    expect(container?.resources).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '250m', memory: '256Mi' },
    });
    expect(pod?.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod?.securityContext).not.toHaveProperty('runAsUser');
    for (const each of [container, model])
      expect(each?.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.imagePullSecrets).toEqual([]);
    expect(container?.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    // Liveness waits for the startup probe: a slow start is not a restart.
    expect(container?.startupProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.livenessProbe?.initialDelaySeconds).toBeUndefined();
    expect(container?.env).toContainEqual({ name: 'MLRUN_PORT', value: '9000' });
    expect(service.spec?.ports).toEqual([
      { name: 'http', port: 9000, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  it("runs model code in a container of its own that gets none of the wrapper's settings", async () => {
    const { deployment } = await rendered();
    const pod = deployment.spec?.template.spec;
    expect(pod?.containers.map((container) => container.name)).toEqual(['wrapper', 'model']);
    const [wrapper, model] = pod?.containers ?? [];
    expect(pod?.shareProcessNamespace).toBeUndefined();
    expect(wrapper?.envFrom).toEqual([{ secretRef: { name: expect.stringMatching(/-env$/) } }]);
    expect(model?.envFrom).toBeUndefined();
    expect(model?.env).toEqual([
      { name: 'MLRUN_WORKER_SOCKET', value: '/run/mlrun-workers/workers.sock' },
    ]);
    expect(wrapper?.env).toContainEqual({
      name: 'MLRUN_WORKER_SOCKET',
      value: '/run/mlrun-workers/workers.sock',
    });
    expect(model?.command).toEqual(['node', '/opt/ml-run/wrapper/mlrun-worker-host.js']);
    expect(model?.ports).toBeUndefined();
    // The socket's volume is all they share; each has its own /tmp.
    const mounts = (container: typeof model) =>
      (container?.volumeMounts ?? []).map((mount) => mount.name);
    const shared = mounts(wrapper).filter((name) => mounts(model).includes(name));
    expect(shared).toEqual(['workers']);
  });

  it('asks for GPUs and pulls with the secret it is given', async () => {
    const { deployment } = await rendered(
      { resources: { cpu: '1', memory: '1Gi', gpu: 2 } },
      'mlrun-default-pull',
    );
    const pod = deployment.spec?.template.spec;
    const model = pod?.containers.find((container) => container.name === 'model');
    expect(model?.resources?.limits?.['nvidia.com/gpu']).toBe(2);
    expect(pod?.imagePullSecrets).toEqual([{ name: 'mlrun-default-pull' }]);
  });

  it('rolls the pods on new settings only', async () => {
    const digest = async (env: Record<string, string>, replicas = 3) =>
      (await rendered({ env, replicas })).deployment.spec?.template.metadata?.annotations?.[
        'ml-run.io/env-digest'
      ];
    expect(await digest(ENV, 5)).toBe(await digest(ENV));
    expect(await digest({ ...ENV, MLRUN_LOG_LEVEL: 'warn' })).not.toBe(await digest(ENV));
  });

  it('refuses a template that renders objects the target does not manage', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ml-run-model-'));
    const other = path.join(dir, 'other.yaml');
    const text = await readFile(TEMPLATE, 'utf8');
    await writeFile(other, text.replace('kind: Secret', 'kind: ConfigMap'));
    const render = await modelRenderer(other);
    expect(() =>
      render(modelParameters(spec(), { installation: 'default', wrapperPort: 9000 })),
    ).toThrow(/renders ConfigMap: the openshift target applies only Secret, Service, Deployment/);
  });
});
