import type Docker from 'dockerode';

import type { DeploymentSpec } from '@ml-run/deployer';

import { portBaseOf, replicaUrl, serviceNameOf, serviceSpecOf } from './swarm-service-spec';

describe(serviceSpecOf.name, () => {
  const spec: DeploymentSpec & { image: string } = {
    name: 'iris',
    version: '1.0.0+6526c66fa490',
    modelDir: '/unused',
    replicas: 2,
    env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_PORT_BASE: '1', MLRUN_HOST: '0.0.0.0' },
    readyTimeoutMs: 30_000,
    image: '127.0.0.1:5000/ml-run/iris@sha256:' + 'a'.repeat(64),
  };
  const limits = { MemoryBytes: 2 ** 29, NanoCPUs: 5e8, Pids: 512 };
  const sut = serviceSpecOf(spec, 21_300, 'default', limits);
  const task = sut.TaskTemplate as Docker.ContainerTaskSpec;
  const container = task.ContainerSpec ?? {};

  it('names the service after the model and a hash of the namespace and version', () => {
    expect(sut.Name).toBe(serviceNameOf('default', 'iris', '1.0.0+6526c66fa490'));
    expect(sut.Name).toMatch(/^mlrun-iris-[0-9a-f]{12}$/);
    expect(serviceNameOf('default', 'iris', '1.0.1')).not.toBe(sut.Name);
    expect(serviceNameOf('staging', 'iris', '1.0.0+6526c66fa490')).not.toBe(sut.Name);
  });

  it('labels the service with the model, version, namespace and managed mark', () => {
    expect(sut.Labels).toEqual({
      'run.ml.name': 'iris',
      'run.ml.version': '1.0.0+6526c66fa490',
      'run.ml.managed': 'true',
      'run.ml.namespace': 'default',
    });
  });

  it('runs the image on the host network with the wanted replicas', () => {
    expect(container.Image).toBe(spec.image);
    expect(task.Networks).toEqual([{ Target: 'host' }]);
    expect(sut.Mode).toEqual({ Replicated: { Replicas: 2 } });
    expect(task.RestartPolicy).toEqual({ Condition: 'any', Delay: 1e9, MaxAttempts: 0 });
    expect(sut.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback' });
  });

  it('passes the env through, but the port base, slot and host are its own', () => {
    expect(container.Env).toEqual(
      expect.arrayContaining([
        'MLRUN_AUTH_MODE=disabled',
        'MLRUN_PORT_BASE=21300',
        'MLRUN_REPLICA_SLOT={{.Task.Slot}}',
        'MLRUN_HOST=127.0.0.1',
      ]),
    );
    expect(container.Env?.filter((entry) => entry.startsWith('MLRUN_PORT_BASE='))).toHaveLength(1);
    expect(portBaseOf(sut)).toBe(21_300);
  });

  it('listens and health-checks on base + slot', () => {
    expect(container.Command?.slice(-3)).toEqual([
      'sh',
      '-c',
      'export MLRUN_PORT=$((MLRUN_PORT_BASE + MLRUN_REPLICA_SLOT)); exec node /opt/ml-run/wrapper/main.js',
    ]);
    expect(container.HealthCheck?.Test?.[0]).toBe('CMD-SHELL');
    expect(container.HealthCheck?.Test?.[1]).toContain(
      'http://127.0.0.1:$((MLRUN_PORT_BASE + MLRUN_REPLICA_SLOT))/readyz',
    );
    expect(container.HealthCheck?.StartPeriod).toBe(30_000 * 1e6);
    expect(replicaUrl(21_300, 2)).toBe('http://127.0.0.1:21302');
  });

  it('runs read-only, without capabilities but the launcher two, with a /tmp in memory', () => {
    expect(container).toMatchObject({
      ReadOnly: true,
      CapabilityDrop: ['ALL'],
      CapabilityAdd: ['CAP_SETUID', 'CAP_SETGID'],
      Mounts: [{ Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 2 ** 20 } }],
    });
    expect(task.Resources).toEqual({ Limits: limits });
  });

  it('starts as root only to drop to the wrapper uid, keeping setuid/setgid as ambient', () => {
    expect(container.User).toBe('0:0');
    expect(container.Command?.slice(0, 7)).toEqual([
      'setpriv',
      '--reuid=10001',
      '--regid=10001',
      '--clear-groups',
      '--inh-caps=-all,+setuid,+setgid',
      '--ambient-caps=-all,+setuid,+setgid',
      '--',
    ]);
    expect(container.HealthCheck?.Test?.[1]).toMatch(/^exec setpriv --reuid=10001 --regid=10001 /);
  });

  it('runs model code as its own uid, which the spec env cannot change', () => {
    const sneaky = serviceSpecOf({ ...spec, env: { MLRUN_MODEL_UID: '10001' } }, 21_300, 'default')
      .TaskTemplate as Docker.ContainerTaskSpec;
    expect(sneaky.ContainerSpec?.Env).toContain('MLRUN_MODEL_UID=10002');
    expect(sneaky.ContainerSpec?.Env).not.toContain('MLRUN_MODEL_UID=10001');
  });

  it('finds no port base in a service that is not ours', () => {
    expect(portBaseOf(undefined)).toBeUndefined();
    expect(portBaseOf({ TaskTemplate: { ContainerSpec: { Env: ['A=1'] } } })).toBeUndefined();
  });
});
