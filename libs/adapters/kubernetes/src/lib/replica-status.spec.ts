import { pod, slice } from '../testing/pod-fixtures';
import { replicaStatuses } from './replica-status';

describe(replicaStatuses.name, () => {
  it('is ready by the EndpointSlice, starting until then, and skips terminating pods', () => {
    const leaving = {
      ...pod('c', '10.214.0.7'),
      metadata: { name: 'c', deletionTimestamp: new Date() },
    };
    const statuses = replicaStatuses(
      {
        pods: [pod('b', '10.214.0.6'), pod('a', '10.214.0.5', { restartCount: 2 }), leaving],
        slices: [
          slice([
            ['a', '10.214.0.5', true],
            ['b', '10.214.0.6', false],
            ['c', '10.214.0.7', false],
          ]),
        ],
      },
      9000,
    );
    expect(statuses).toEqual([
      { id: 'a', url: 'http://10.214.0.5:9000', restarts: 2, state: 'ready' },
      { id: 'b', url: 'http://10.214.0.6:9000', restarts: 0, state: 'starting' },
    ]);
  });

  it('fails a replica whose init failed, in the model words, or that crash-loops, with its log tail', () => {
    const crashing = pod('b', '10.214.0.6', {
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container',
        },
      },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          message: 'line 1\nModuleNotFoundError: numpy\n',
        },
      },
    });
    const statuses = replicaStatuses(
      {
        pods: [pod('a', '10.214.0.5'), crashing, pod('c', undefined)],
        slices: [],
        initErrors: new Map([['a', 'coefficients.json is missing']]),
      },
      9000,
    );
    expect(statuses.map((each) => [each.id, each.state, each.error])).toEqual([
      ['a', 'failed', 'coefficients.json is missing'],
      [
        'b',
        'failed',
        'CrashLoopBackOff: back-off 10s restarting failed container; last exit 1 (Error): line 1 | ModuleNotFoundError: numpy',
      ],
      ['c', 'starting', undefined],
    ]);
    expect(statuses[2]?.url).toBe('');
  });
});
