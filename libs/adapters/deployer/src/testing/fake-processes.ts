import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

import type { ProbeResult, ReadinessProbe } from '../lib/process/readiness-probe';
import type { ReplicaChild, SpawnReplica } from '../lib/process/replica-process';

// Test support for this lib's own specs (not exported): wrappers that are plain objects,
// and a /readyz whose answers the test sets per URL.

let nextPid = 900_000;

export class FakeChild extends EventEmitter implements ReplicaChild {
  readonly pid = nextPid++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: NodeJS.Signals[] = [];
  /** Like a wrapper stuck in shutdown: only SIGKILL ends it. */
  ignoreSigterm = false;
  ended = false;

  constructor(readonly env: Record<string, string>) {
    super();
  }

  get url(): string {
    return `http://${this.env['MLRUN_HOST']}:${this.env['MLRUN_PORT']}`;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.ended) return false;
    this.signals.push(signal);
    if (signal !== 'SIGTERM' || !this.ignoreSigterm) setImmediate(() => this.exit(null, signal));
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('exit', code, signal);
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code, signal));
  }
}

export type FakeProcesses = {
  children: FakeChild[];
  /** What /readyz answers per replica URL, for a running child. */
  health: Map<string, ProbeResult>;
  /** What a running child without an entry in `health` answers; default 503 (starting). */
  unset: ProbeResult;
  spawn: SpawnReplica;
  freePort: () => Promise<number>;
  probe: ReadinessProbe;
  /** Every child spawned and not yet ended. */
  running: () => FakeChild[];
  /** Marks every running child ready. */
  allReady: () => void;
};

export function fakeProcesses(firstPort = 41_000): FakeProcesses {
  const children: FakeChild[] = [];
  const health = new Map<string, ProbeResult>();
  let port = firstPort;
  const running = () => children.filter((child) => !child.ended);
  const fakes: FakeProcesses = {
    children,
    health,
    unset: { kind: 'not-ready', status: 503 },
    running,
    spawn: (_command, _args, env) => {
      const child = new FakeChild(env);
      children.push(child);
      return child;
    },
    freePort: async () => port++,
    probe: async (url) => {
      const child = children.find((each) => each.url === url && !each.ended);
      // An ended child's port refuses connections, whatever `health` says.
      if (!child) return { kind: 'unreachable', reason: 'connect ECONNREFUSED' };
      return health.get(url) ?? fakes.unset;
    },
    allReady: () => {
      for (const child of running()) health.set(child.url, { kind: 'ready' });
    },
  };
  return fakes;
}

/** items[index], which the test knows is there. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`nothing at index ${index} of ${items.length}`);
  return item;
}
