import { authIssuerConfigShape } from '@ml-run/auth-issuer';
import { builderConfigShape } from '@ml-run/builder';
import {
  hostPortListVar,
  loadConfig,
  presentedCredentialVar,
  type ConfigShape,
} from '@ml-run/config';
import { dockerConfigShape } from '@ml-run/docker';
import { igniteConfigShape, tokenMacConfigShape, tokenRecordMacOf } from '@ml-run/ignite';
import {
  kafkaConfigShape,
  kafkaPredictionConfigShape,
  modelPrincipalsConfigShape,
} from '@ml-run/kafka-bus';
import type { KubernetesObject } from '@ml-run/openshift';
import { routerConfigShape } from '@ml-run/router';
import { sandboxConfigShape } from '@ml-run/sandbox';
import { tokenValidatorConfigShape } from '@ml-run/token-validator';

import { containerEnv, podSpecOf, type Container } from './lib/container-env';
import { FIXTURE_PARAMETERS } from './lib/fixture-parameters';
import { renderTemplate, templateFiles } from './lib/rendered-templates';

// What ml-run-control-plane.yaml gives each app, read the way each app reads it: its own
// config schema (the one `loadConfig` checks at start) over the environment the kubelet
// would build from the rendered ConfigMaps and Secrets. And who holds which credential
// (docs/security.md).

const template = templateFiles().find((f) => f.file === 'ml-run-control-plane.yaml');
if (!template) throw new Error('deploy/openshift/ml-run-control-plane.yaml is missing');
const objects = renderTemplate(template);

const cluster = { ...igniteConfigShape, ...kafkaConfigShape, ...tokenMacConfigShape };
// The builder's own credential variables live in apps/builder (standalone-adapters.ts);
// the one it must present is checked the way that file declares it.
const builderShape = {
  ...builderConfigShape,
  ...igniteConfigShape,
  ...kafkaConfigShape,
  ...modelPrincipalsConfigShape,
  ...dockerConfigShape,
  ...sandboxConfigShape,
  MLRUN_INTROSPECTION_TOKEN: presentedCredentialVar({ required: true }),
  MLRUN_MODEL_IGNITE_ENDPOINTS: hostPortListVar({ example: '127.0.0.1:10900' }).optional(),
};
const APPS: Record<string, ConfigShape> = {
  'auth-issuer': { ...authIssuerConfigShape, ...cluster },
  'token-validator': { ...tokenValidatorConfigShape, ...cluster },
  // as apps/router/src/main.ts reads it: its own, the platform's Ignite, the prediction transport
  router: { ...routerConfigShape, ...igniteConfigShape, ...kafkaPredictionConfigShape },
  builder: builderShape,
};

function deployment(app: string): KubernetesObject {
  const found = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata?.name === `ml-run-${app}`,
  );
  if (!found) throw new Error(`no Deployment ml-run-${app}`);
  return found;
}

function containerOf(app: string): Container {
  const [container] = podSpecOf(deployment(app))?.containers ?? [];
  if (!container) throw new Error(`Deployment ml-run-${app} has no container`);
  return container;
}

function envOf(app: string): Record<string, string> {
  return containerEnv(containerOf(app), deployment(app).metadata?.namespace, objects);
}

describe('ml-run-control-plane', () => {
  describe.each(Object.keys(APPS))('%s', (app) => {
    it('gets an environment its own config schema takes, cluster mode on', () => {
      const env = envOf(app);
      expect(() => loadConfig(APPS[app] ?? {}, env)).not.toThrow();
      expect(env['MLRUN_IGNITE_ENDPOINTS']).toBeTruthy();
      expect(env['MLRUN_KAFKA_BROKERS']).toBeTruthy();
      expect(env['MLRUN_KAFKA_USERNAME']).toBeTruthy();
      expect(env['MLRUN_KAFKA_PASSWORD']).toBeTruthy();
      expect(env['MLRUN_HOST']).toBe('0.0.0.0');
    });

    it('runs node on the app from the platform image, with probes on its health paths', () => {
      const container = containerOf(app) as Container & Record<string, unknown>;
      expect(container['command']).toEqual(['node', `dist/apps/${app}/main.js`]);
      const port = (container['ports'] as { name: string; containerPort: number }[])[0];
      expect(String(port?.containerPort)).toBe(envOf(app)['MLRUN_PORT']);
      const probe = (name: string) => (container[name] as { httpGet: unknown }).httpGet;
      expect(probe('readinessProbe')).toEqual({ path: '/readyz', port: port?.name });
      expect(probe('livenessProbe')).toEqual({ path: '/healthz', port: port?.name });
    });

    it('takes every credential from a Secret, never from a literal or a ConfigMap', () => {
      const container = containerOf(app);
      const credential = /_TOKEN$|PASSWORD|MAC_KEY|(CALLBACK|MODEL)_SECRET$/;
      const literal = (container.env ?? []).filter((v) => credential.test(v.name) && !v.valueFrom);
      expect(literal).toEqual([]);
      const fromConfigMaps = objects
        .filter((o) => o.kind === 'ConfigMap')
        .flatMap((o) => Object.keys((o['data'] ?? {}) as object).filter((k) => credential.test(k)));
      expect(fromConfigMaps).toEqual([]);
    });
  });

  it('gives the token MAC key to the issuer and the validator only', () => {
    expect(() =>
      tokenRecordMacOf(loadConfig(tokenMacConfigShape, envOf('auth-issuer'))),
    ).not.toThrow();
    expect(() =>
      tokenRecordMacOf(loadConfig(tokenMacConfigShape, envOf('token-validator'))),
    ).not.toThrow();
    expect(envOf('router')['MLRUN_TOKEN_MAC_KEY']).toBeUndefined();
    expect(envOf('builder')['MLRUN_TOKEN_MAC_KEY']).toBeUndefined();
  });

  it('gives the router what asynchronous predictions need: the validator, the platform Ignite, Kafka, a callback key', () => {
    const router = loadConfig(APPS['router'] ?? {}, envOf('router'));
    const issuer = envOf('auth-issuer');
    expect(router).toMatchObject({
      MLRUN_VALIDATOR_URL: `http://ml-run-token-validator.${deployment('token-validator').metadata?.namespace}.svc:8092`,
      MLRUN_INTROSPECTION_TOKEN: envOf('token-validator')['MLRUN_INTROSPECTION_TOKEN'],
      MLRUN_IGNITE_ENDPOINTS: issuer['MLRUN_IGNITE_ENDPOINTS'],
      MLRUN_IGNITE_USERNAME: issuer['MLRUN_IGNITE_USERNAME'],
      MLRUN_IGNITE_PASSWORD: issuer['MLRUN_IGNITE_PASSWORD'],
      MLRUN_KAFKA_USERNAME: issuer['MLRUN_KAFKA_USERNAME'],
      MLRUN_ASYNC_RESULT_TTL_MS: 3_600_000,
      MLRUN_KAFKA_PREDICTION_PARTITIONS: 3,
    });
    expect(String(router['MLRUN_CALLBACK_SECRET']).length).toBeGreaterThanOrEqual(32);
    // loopback only until the operator names the receivers' ranges
    expect(envOf('router')['MLRUN_CALLBACK_ALLOWED_CIDRS']).toBe('127.0.0.0/8,::1/128');
  });

  it('gives the router no credential it does not present, and a copy of the introspection credential the validator may hash', () => {
    const router = envOf('router');
    expect(router['MLRUN_TOKEN_MAC_KEY']).toBeUndefined();
    expect(router['MLRUN_ADMIN_PASSWORD']).toBeUndefined();
    expect(router['MLRUN_ROUTE_TABLE_TOKEN']).toBe(envOf('builder')['MLRUN_ROUTE_TABLE_TOKEN']);
    const refOf = (app: string, name: string) =>
      containerOf(app).env?.find((v) => v.name === name)?.valueFrom?.secretKeyRef;
    expect(refOf('router', 'MLRUN_INTROSPECTION_TOKEN')).not.toEqual(
      refOf('token-validator', 'MLRUN_INTROSPECTION_TOKEN'),
    );
  });

  it('gives the callback key to the routers alone', () => {
    const key = envOf('router')['MLRUN_CALLBACK_SECRET'];
    for (const app of ['auth-issuer', 'token-validator', 'builder'])
      expect(Object.values(envOf(app))).not.toContain(key);
  });

  it("gives the builder per-model Kafka principals: the broker's admin login and a model secret", () => {
    const builder = loadConfig(builderShape, envOf('builder'));
    const kafka = objects.find((o) => o.kind === 'Secret' && o.metadata?.name === 'ml-run-kafka');
    const kafkaSecret = (kafka?.['stringData'] ?? {}) as Record<string, string>;
    expect(builder).toMatchObject({
      // tools/images/jvm/kafka-server.sh: the broker's own user, the cluster's super user
      MLRUN_KAFKA_ADMIN_USERNAME: 'ml-run-broker',
      MLRUN_KAFKA_ADMIN_PASSWORD: kafkaSecret['broker-password'],
      MLRUN_KAFKA_PREDICTION_PARTITIONS: 3,
    });
    expect(String(builder.MLRUN_KAFKA_MODEL_SECRET).length).toBeGreaterThanOrEqual(32);
    // only the builder holds the admin login and the model secret
    for (const app of ['auth-issuer', 'token-validator', 'router']) {
      expect(Object.values(envOf(app))).not.toContain(kafkaSecret['broker-password']);
      expect(Object.values(envOf(app))).not.toContain(builder.MLRUN_KAFKA_MODEL_SECRET);
    }
  });

  it('hands the builder the R base image when BASE_IMAGE_R is given, none by default', () => {
    expect(envOf('builder')['MLRUN_BASE_IMAGE_R']).toBe('');
    const rendered = renderTemplate(template, { BASE_IMAGE_R: '127.0.0.1:5000/ml-run/base-r:1' });
    const settings = rendered.find(
      (o) => o.kind === 'ConfigMap' && o.metadata?.name === 'ml-run-builder',
    ) as { data?: Record<string, string> } | undefined;
    expect(settings?.data?.['MLRUN_BASE_IMAGE_R']).toBe('127.0.0.1:5000/ml-run/base-r:1');
  });

  // The platform's Kafka login (and the admin one) must never reach a replica: a model's
  // pods read only their own settings Secret, and nothing the control plane puts in the
  // models' namespace holds a platform credential.
  it('puts no platform credential where model replicas can read it', () => {
    const modelsNamespace = objects.find((o) => o.kind === 'Role')?.metadata?.namespace;
    const inModels = JSON.stringify(
      objects.filter((o) => o.metadata?.namespace === modelsNamespace),
    );
    const builder = envOf('builder');
    for (const name of [
      'MLRUN_KAFKA_PASSWORD',
      'MLRUN_KAFKA_ADMIN_PASSWORD',
      'MLRUN_KAFKA_MODEL_SECRET',
      'MLRUN_IGNITE_PASSWORD',
    ])
      expect(inModels).not.toContain(builder[name]);
    const model = templateFiles().find((f) => f.file === 'ml-run-model.yaml');
    if (!model) throw new Error('deploy/openshift/ml-run-model.yaml is missing');
    const secretsRead = renderTemplate(model)
      .flatMap((o) => [
        ...(podSpecOf(o)?.containers ?? []),
        ...(podSpecOf(o)?.initContainers ?? []),
      ])
      .flatMap((c) => [
        ...(c.envFrom ?? []).map((f) => f.secretRef?.name),
        ...(c.env ?? []).map((v) => v.valueFrom?.secretKeyRef?.name),
      ])
      .filter((name) => name !== undefined);
    expect([...new Set(secretsRead)]).toEqual([`${FIXTURE_PARAMETERS['INSTANCE']}-env`]);
  });

  it('has the validator check the introspection credential the builder presents', () => {
    expect(envOf('token-validator')['MLRUN_INTROSPECTION_TOKEN']).toBe(
      envOf('builder')['MLRUN_INTROSPECTION_TOKEN'],
    );
  });

  it("hands replicas the models' Ignite, never the platform's", () => {
    const builder = envOf('builder');
    expect(builder['MLRUN_MODEL_IGNITE_ENDPOINTS']).toBeTruthy();
    expect(builder['MLRUN_MODEL_IGNITE_ENDPOINTS']).not.toBe(builder['MLRUN_IGNITE_ENDPOINTS']);
  });

  it('points the router and the builder at the Services that run the builder and the validator', () => {
    const service = (app: string) => deployment(app).metadata;
    expect(envOf('router')['MLRUN_BUILDER_URL']).toBe(
      `http://ml-run-builder.${service('builder')?.namespace}.svc:8090`,
    );
    expect(envOf('builder')['MLRUN_VALIDATOR_URL']).toBe(
      `http://ml-run-token-validator.${service('token-validator')?.namespace}.svc:8092`,
    );
  });

  // The web console is served by the builder (its Route, at /console) and signs in and
  // predicts through the builder's proxy: the issuer's and the router's Services.
  it("points the builder's console proxy at the issuer's and the router's Services", () => {
    const namespace = (app: string) => deployment(app).metadata?.namespace;
    expect(envOf('builder')['MLRUN_ISSUER_URL']).toBe(
      `http://ml-run-auth-issuer.${namespace('auth-issuer')}.svc:8091`,
    );
    expect(envOf('builder')['MLRUN_ROUTER_URL']).toBe(
      `http://ml-run-router.${namespace('router')}.svc:8080`,
    );
  });

  // Model replicas share the pod network: trusting it would let model code claim any
  // client address at the issuer's login throttle. TRUSTED_PROXIES is the operator's call.
  it('has the builder and the issuer trust no proxy unless TRUSTED_PROXIES names some, then the same', () => {
    expect(envOf('builder')['MLRUN_TRUSTED_PROXIES']).toBe('');
    expect(envOf('auth-issuer')['MLRUN_TRUSTED_PROXIES']).toBe('');
    const rendered = renderTemplate(template, { TRUSTED_PROXIES: '10.0.5.0/24,10.131.4.0/23' });
    const settings = (name: string) =>
      rendered.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name) as
        { data?: Record<string, string> } | undefined;
    expect(settings('ml-run-builder')?.data?.['MLRUN_TRUSTED_PROXIES']).toBe(
      '10.0.5.0/24,10.131.4.0/23',
    );
    expect(settings('ml-run-auth-issuer')?.data?.['MLRUN_TRUSTED_PROXIES']).toBe(
      '10.0.5.0/24,10.131.4.0/23',
    );
  });

  it('gives the issuer LDAP, with every setting it requires with the URL, when LDAP_URL is given', () => {
    const ldap = {
      LDAP_URL: 'ldaps://ldap.example.org:636',
      LDAP_BIND_DN: 'cn=ml-run,dc=example,dc=org',
      LDAP_BIND_PASSWORD: 'bind-password',
      LDAP_SEARCH_BASE: 'ou=people,dc=example,dc=org',
      LDAP_GROUP_SEARCH_BASE: 'ou=groups,dc=example,dc=org',
    };
    const rendered = renderTemplate(template, ldap);
    const issuer = rendered.find(
      (o) => o.kind === 'Deployment' && o.metadata?.name === 'ml-run-auth-issuer',
    );
    const [container] = podSpecOf(issuer as KubernetesObject)?.containers ?? [];
    const env = containerEnv(container as Container, issuer?.metadata?.namespace, rendered);
    const config = loadConfig(authIssuerConfigShape, env);
    expect(config).toMatchObject({
      MLRUN_LDAP_URL: ldap.LDAP_URL,
      MLRUN_LDAP_BIND_DN: ldap.LDAP_BIND_DN,
      MLRUN_LDAP_BIND_PASSWORD: ldap.LDAP_BIND_PASSWORD,
      MLRUN_LDAP_SEARCH_BASE: ldap.LDAP_SEARCH_BASE,
      MLRUN_LDAP_GROUP_SEARCH_BASE: ldap.LDAP_GROUP_SEARCH_BASE,
    });
    // without it, none is set (the issuer refuses LDAP settings without the URL)
    const plain = loadConfig(authIssuerConfigShape, envOf('auth-issuer'));
    expect(
      Object.entries(plain)
        .filter(([k, v]) => k.startsWith('MLRUN_LDAP_') && v !== undefined)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['MLRUN_LDAP_SEARCH_FILTER', 'MLRUN_LDAP_TIMEOUT_MS']);
  });

  it('mounts the Docker socket into the builder alone, where MLRUN_DOCKER_HOST says', () => {
    const withHostPath = objects.filter((o) =>
      (podSpecOf(o) as { volumes?: { hostPath?: unknown }[] } | undefined)?.volumes?.some(
        (v) => v.hostPath,
      ),
    );
    expect(withHostPath.map((o) => o.metadata?.name)).toEqual(['ml-run-builder']);
    const mounts = (
      containerOf('builder') as unknown as { volumeMounts: { name: string; mountPath: string }[] }
    ).volumeMounts;
    const socket = mounts.find((m) => m.name === 'docker-socket');
    expect(envOf('builder')['MLRUN_DOCKER_HOST']).toBe(`unix://${socket?.mountPath}`);
  });

  it('exposes the router and the issuer through edge-TLS Routes that redirect plain HTTP', () => {
    const routes = objects.filter((o) => o.kind === 'Route');
    for (const name of ['ml-run-router', 'ml-run-auth-issuer']) {
      const route = routes.find((r) => r.metadata?.name === name);
      expect(route?.['spec']).toMatchObject({
        to: { kind: 'Service', name },
        tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      });
    }
  });

  it("lets the builder's service account act in the models' namespace only, with no wildcard", () => {
    const builderNamespace = deployment('builder').metadata?.namespace;
    const rbac = objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
    const modelsNamespace = rbac[0]?.metadata?.namespace;
    expect(rbac.length).toBeGreaterThan(0);
    for (const object of rbac) expect(object.metadata?.namespace).toBe(modelsNamespace);
    expect(modelsNamespace).not.toBe(builderNamespace);
    const binding = rbac.find((o) => o.kind === 'RoleBinding');
    expect(binding?.['subjects']).toEqual([
      { kind: 'ServiceAccount', name: 'ml-run-builder', namespace: builderNamespace },
    ]);
    const rules = rbac.flatMap(
      (o) => (o['rules'] ?? []) as { verbs: string[]; resources: string[] }[],
    );
    expect(rules.flatMap((r) => [...r.verbs, ...r.resources])).not.toContain('*');
    expect(objects.some((o) => /^Cluster/.test(o.kind))).toBe(false);
  });
});
