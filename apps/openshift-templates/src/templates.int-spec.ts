import { randomBytes } from 'node:crypto';

import type { KubernetesObject } from '@ml-run/openshift';
import { kubernetesUnderTest } from '@ml-run/process-testing';

import { isOpenShiftKind } from './lib/kubernetes-schemas';
import { LiveApiserver, messageOf, type ApiAnswer } from './lib/live-apiserver';
import { renderTemplate, templateFiles } from './lib/rendered-templates';
import { podOfWorkload } from './lib/workload-pods';

// Every object the deploy/openshift templates render, through a server-side dry-run
// (apply, strict field validation) on the local cluster of tools/services/kubernetes, with
// openshift/api's Route CRD installed there. Namespaces of this run's own, labelled as
// README.md says: the control plane's and the models' enforce PodSecurity restricted, the
// builder's privileged (its Docker socket, the documented exception). Each workload's pod
// goes through a dry-run create as well, which is where PodSecurity admission judges it.
//
// Template, BuildConfig and ImageStream have no CRDs on plain Kubernetes: they are checked
// offline only (schema.spec.ts, against openshift/api's openapi.json), never here.

const run = randomBytes(3).toString('hex');
const NAMESPACES = {
  main: { name: `mlrun-tpl-${run}`, level: 'restricted' },
  builder: { name: `mlrun-tpl-${run}-builder`, level: 'privileged' },
  models: { name: `mlrun-tpl-${run}-models`, level: 'restricted' },
} as const;
// Every template's namespace parameters point into this run's namespaces; objects without
// a namespace go where `oc apply` would put them, the current one (main).
const OVERRIDES = {
  NAMESPACE: NAMESPACES.main.name,
  BUILDER_NAMESPACE: NAMESPACES.builder.name,
  MODELS_NAMESPACE: NAMESPACES.models.name,
  BUILD_NAMESPACE: NAMESPACES.main.name,
};

function namespaceObject({ name, level }: { name: string; level: string }): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'ml-run.io/test': 'openshift-templates',
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': level,
      },
    },
  };
}

function rendered(): { file: string; objects: KubernetesObject[] }[] {
  return templateFiles().map((file) => ({
    file: file.file,
    objects: renderTemplate(file, OVERRIDES).map((o) => ({
      ...o,
      metadata: { ...o.metadata, namespace: o.metadata?.namespace || NAMESPACES.main.name },
    })),
  }));
}

const label = (o: KubernetesObject) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`;
const levelOf = (namespace: string | undefined) =>
  Object.values(NAMESPACES).find((n) => n.name === namespace)?.level ?? 'unknown';

function accepted(answer: ApiAnswer): string {
  return answer.status < 300 ? 'accepted' : `${answer.status} ${messageOf(answer)}`;
}

const templates = rendered();
let api: LiveApiserver;

beforeAll(async () => {
  api = await LiveApiserver.connect(kubernetesUnderTest().kubeconfigPath);
  for (const namespace of Object.values(NAMESPACES)) await api.create(namespaceObject(namespace));
  // Pods name their ServiceAccount, which must exist for admission: created for real (the
  // namespaces go at the end, with them).
  const accounts = templates.flatMap((t) => t.objects).filter((o) => o.kind === 'ServiceAccount');
  for (const account of accounts) await api.create(account);
});

afterAll(async () => {
  for (const namespace of Object.values(NAMESPACES)) await api?.delete(namespaceObject(namespace));
});

describe.each(templates.map((t) => [t.file, t.objects] as const))('%s', (_file, objects) => {
  const live = objects.filter((o) => !isOpenShiftKind(o) || o.kind === 'Route');
  it.each(live.map((o) => [label(o), o] as const))(
    '%s: the apiserver accepts it without a warning (server-side apply, dry-run, strict fields)',
    async (_name, object) => {
      const answer = await api.applyDryRun(object);
      expect(accepted(answer)).toBe('accepted');
      // PodSecurity's warn level names a workload whose pods it would refuse; deprecations too
      expect(answer.warnings).toEqual([]);
    },
  );

  const pods = objects.flatMap((o) => {
    const pod = podOfWorkload(o);
    return pod ? [[`${label(o)} (${levelOf(o.metadata?.namespace)})`, pod] as const] : [];
  });
  if (pods.length > 0) {
    it.each(pods)('%s: PodSecurity admits its pod', async (_name, pod) => {
      expect(accepted(await api.createDryRun(pod))).toBe('accepted');
    });
  }
});

describe('the checks themselves', () => {
  const controlPlane = templates.find((t) => t.file === 'ml-run-control-plane.yaml')?.objects ?? [];
  const builder = controlPlane.find(
    (o) => o.kind === 'Deployment' && o.metadata?.name === 'ml-run-builder',
  );

  it("PodSecurity restricted refuses the builder's pod: its exception is real, and only the builder has it", async () => {
    const pod = podOfWorkload(builder as KubernetesObject) as KubernetesObject;
    // the default service account: the refusal must be PodSecurity's, not a missing account
    const spec = { ...(pod['spec'] as object), serviceAccountName: undefined };
    const inRestricted = {
      ...pod,
      metadata: { ...pod.metadata, namespace: NAMESPACES.main.name },
      spec,
    };
    const answer = await api.createDryRun(inRestricted);
    expect(answer.status).toBe(403);
    expect(messageOf(answer)).toMatch(/violates PodSecurity "restricted:latest": .*hostPath/);
    // and warns of the Deployment that would make such pods (so the no-warning checks above
    // would have caught one)
    const deployment = {
      ...builder,
      metadata: { ...builder?.metadata, namespace: NAMESPACES.main.name },
    };
    const warned = await api.applyDryRun(deployment as KubernetesObject);
    expect(warned.warnings.join('\n')).toMatch(
      /would violate PodSecurity .*restricted:latest.*hostPath/,
    );
    const privileged = templates
      .flatMap((t) => t.objects)
      .filter((o) => podOfWorkload(o) && levelOf(o.metadata?.namespace) !== 'restricted');
    expect(privileged.map((o) => o.metadata?.name)).toEqual(['ml-run-builder']);
  });

  it('strict field validation refuses a field the schema lacks (a template typo)', async () => {
    const deployment = controlPlane.find((o) => o.kind === 'Deployment') as KubernetesObject;
    const typo = { ...deployment, spec: { ...(deployment['spec'] as object), replica: 2 } };
    const answer = await api.applyDryRun(typo);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(messageOf(answer)).toMatch(/replica/);
  });
});
