import { randomBytes } from 'node:crypto';

import type { KubernetesObject } from '@ml-run/openshift';
import { kubernetesUnderTest } from '@ml-run/process-testing';

import { LiveApiserver, messageOf, type ApiAnswer } from './lib/live-apiserver';
import { renderTemplate, templateFiles } from './lib/rendered-templates';

// The builder's Role in the models' namespace, judged by the live apiserver's RBAC: every
// request the openshift target makes (libs/adapters/kubernetes: server-side apply of a
// version's ml-run-model objects and of the pull Secret, a merge patch to scale, deletes,
// list and watch of Deployments, pods and EndpointSlices) is made as the builder's service
// account, dry-run. Each is authorized; reading Secrets, and anything in another
// namespace, is not.

const run = randomBytes(3).toString('hex');
const NAMESPACES = {
  main: `mlrun-rbac-${run}`,
  builder: `mlrun-rbac-${run}-builder`,
  models: `mlrun-rbac-${run}-models`,
};
const OVERRIDES = {
  NAMESPACE: NAMESPACES.main,
  BUILDER_NAMESPACE: NAMESPACES.builder,
  MODELS_NAMESPACE: NAMESPACES.models,
};
const BUILDER = `system:serviceaccount:${NAMESPACES.builder}:ml-run-builder`;

const files = templateFiles();
function rendered(file: string): KubernetesObject[] {
  const template = files.find((f) => f.file === file);
  if (!template) throw new Error(`deploy/openshift/${file} is missing`);
  return renderTemplate(template, OVERRIDES);
}

const controlPlane = rendered('ml-run-control-plane.yaml');
const rbac = controlPlane.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
// One version as the deployer renders it, in the models' namespace.
const version = rendered('ml-run-model.yaml').map((o) => ({
  ...o,
  metadata: { ...o.metadata, namespace: NAMESPACES.models },
}));
const ofKind = (kind: string) => version.find((o) => o.kind === kind) as KubernetesObject;
const inModels = (apiVersion: string, kind: string, name?: string): KubernetesObject => ({
  apiVersion,
  kind,
  metadata: { namespace: NAMESPACES.models, ...(name ? { name } : {}) },
});

// Authorized: anything but 403 (a dry-run delete of nothing is 404, and that is fine).
const verdict = (answer: ApiAnswer) =>
  answer.status === 403 ? `forbidden: ${messageOf(answer)}` : 'authorized';

let admin: LiveApiserver;
let builder: LiveApiserver;

beforeAll(async () => {
  admin = await LiveApiserver.connect(kubernetesUnderTest().kubeconfigPath);
  builder = admin.as(BUILDER);
  for (const name of Object.values(NAMESPACES)) {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'ml-run.io/test': 'openshift-templates' } },
    });
  }
  // The Role and its binding for real: a dry-run would leave nothing for RBAC to read.
  for (const object of rbac) await admin.create(object);
});

afterAll(async () => {
  for (const name of Object.values(NAMESPACES)) {
    await admin?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
});

describe("the builder's service account in the models' namespace", () => {
  it.each(version.map((o) => [`${o.kind} ${o.metadata?.name}`, o] as const))(
    'may apply %s server-side (create and patch)',
    async (_name, object) => {
      expect(verdict(await builder.applyDryRun(object))).toBe('authorized');
    },
  );

  it('may apply the image pull Secret', async () => {
    const pull = {
      ...inModels('v1', 'Secret', 'ml-run-registry-pull'),
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    };
    expect(verdict(await builder.applyDryRun(pull))).toBe('authorized');
  });

  it('may scale a Deployment (merge patch) and delete a version', async () => {
    const deployment = ofKind('Deployment');
    const scale = {
      ...inModels('apps/v1', 'Deployment', deployment.metadata?.name),
      spec: { replicas: 3 },
    };
    expect(verdict(await builder.mergePatchDryRun(scale))).toBe('authorized');
    for (const kind of ['Deployment', 'Service', 'Secret']) {
      expect(verdict(await builder.deleteDryRun(ofKind(kind)))).toBe('authorized');
    }
  });

  it.each([
    ['apps/v1', 'Deployment'],
    ['v1', 'Pod'],
    ['discovery.k8s.io/v1', 'EndpointSlice'],
  ])('may list and watch %s %s', async (apiVersion, kind) => {
    const collection = inModels(apiVersion, kind);
    expect(verdict(await builder.get(collection, 'labelSelector=ml-run.io%2Finstallation'))).toBe(
      'authorized',
    );
    expect(verdict(await builder.get(collection, 'watch=true&timeoutSeconds=1'))).toBe(
      'authorized',
    );
  });

  it('may not read Secrets back, nor list them', async () => {
    const secret = ofKind('Secret');
    expect(verdict(await builder.get(secret))).toMatch(/^forbidden/);
    expect(verdict(await builder.get(inModels('v1', 'Secret')))).toMatch(/^forbidden/);
  });

  it('may do nothing in the control plane’s namespace', async () => {
    const elsewhere = {
      ...ofKind('Deployment'),
      metadata: { ...ofKind('Deployment').metadata, namespace: NAMESPACES.main },
    };
    expect(verdict(await builder.applyDryRun(elsewhere))).toMatch(/^forbidden/);
    const pods = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: NAMESPACES.main } };
    expect(verdict(await builder.get(pods))).toMatch(/^forbidden/);
  });
});
