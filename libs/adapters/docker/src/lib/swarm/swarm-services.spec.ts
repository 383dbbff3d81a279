import type Docker from 'dockerode';

import { createdBefore, SwarmServices } from './swarm-services';

const service = (ID: string, CreatedAt: string) => ({ ID, CreatedAt }) as Docker.Service;

describe(createdBefore.name, () => {
  it('orders by time, with fractions of any length (Docker drops trailing zeros)', () => {
    // As text, "…19.12Z" sorts after "…19.123Z"; as time it is earlier.
    const a = service('b', '2026-11-28T16:17:19.12Z');
    const b = service('a', '2026-11-28T16:17:19.123Z');
    expect(createdBefore(a, b)).toBe(true);
    expect(createdBefore(b, a)).toBe(false);
    expect(createdBefore(service('z', '2026-11-28T16:17:18Z'), a)).toBe(true);
  });

  it('breaks a tie by id, so both sides of a race agree', () => {
    const a = service('a1', '2026-11-28T16:17:19.5Z');
    const b = service('b1', '2026-11-28T16:17:19.500Z');
    expect(createdBefore(a, b)).toBe(true);
    expect(createdBefore(b, a)).toBe(false);
  });
});

describe('SwarmServices.remove', () => {
  // An engine whose removed service leaves a container that never stops.
  const stuckEngine = () =>
    ({
      getService: () => ({ remove: async () => undefined }),
      listContainers: async () => [{ Id: 'c1' }],
    }) as unknown as Docker;

  it('gives up on containers that never stop, saying what to check', async () => {
    const sut = new SwarmServices(stuckEngine());
    await expect(sut.remove('svc1', 5, 50)).rejects.toThrow(
      /svc1 is removed, but its containers still run after 0.05 s .*docker ps/,
    );
  });

  it('returns once the containers are gone', async () => {
    let polls = 0;
    const engine = {
      getService: () => ({ remove: async () => undefined }),
      listContainers: async () => (++polls < 3 ? [{ Id: 'c1' }] : []),
    } as unknown as Docker;
    await new SwarmServices(engine).remove('svc1', 1, 5_000);
    expect(polls).toBe(3);
  });
});

describe('SwarmServices registry auth', () => {
  const AUTH = { username: 'mlrun-pull', password: 'pull-secret', serveraddress: '127.0.0.1:5000' };
  const recordingEngine = () => {
    const calls: { create: unknown[][]; update: unknown[][] } = { create: [], update: [] };
    const docker = {
      createService: async (...args: unknown[]) => {
        calls.create.push(args);
        return { id: 'svc1' };
      },
      getService: () => ({
        inspect: async () => ({ Spec: { Name: 'svc' }, Version: { Index: 7 } }),
        update: async (...args: unknown[]) => {
          calls.update.push(args);
        },
      }),
    } as unknown as Docker;
    return { docker, calls };
  };

  it('hands Swarm the pull credential with every create and update', async () => {
    const { docker, calls } = recordingEngine();
    const sut = new SwarmServices(docker, AUTH);
    await sut.create({ Name: 'svc' });
    await sut.setReplicas('svc1', 2);
    expect(calls.create[0]).toEqual([AUTH, { Name: 'svc' }]);
    expect(calls.update[0]?.[0]).toMatchObject({
      authconfig: AUTH,
      _query: { version: 7 },
      _body: { Name: 'svc', Mode: { Replicated: { Replicas: 2 } } },
    });
  });

  it('sends an empty auth without a credential, never the spec as one', async () => {
    const { docker, calls } = recordingEngine();
    await new SwarmServices(docker).create({ Name: 'svc' });
    expect(calls.create[0]).toEqual([{}, { Name: 'svc' }]);
  });
});
