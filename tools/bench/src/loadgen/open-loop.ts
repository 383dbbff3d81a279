import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';

import { ClientSession, passwordLogin } from './client-session';
import { FineTimer } from './fine-timer';
import { post, predictHeaders } from './http-post';
import { BatchMeans, LatencyRecorder } from './latency-recorder';
import { openLoopSettings, type OpenLoopSettings } from './options';
import { PerSecondCounts } from './per-second';
import { poissonArrivals, type Arrival } from './poisson-schedule';
import { seededRandom } from './random';
import type { OpenLoopCounts, OpenLoopOptions, OpenLoopResult } from './types';

/** What an expired token looks like once the store dropped it: well-formed, unknown. */
function staleToken(): string {
  return `mlr_${randomBytes(32).toString('base64url')}`;
}

/**
 * An open-loop load: Poisson arrivals sent on schedule whatever the answers do, each
 * request's latency counted from its scheduled send time (so a slow answer cannot delay
 * the next request and hide queueing: no coordinated omission).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const settings = openLoopSettings(options);
  const agent = new Agent({ keepAlive: true, maxSockets: settings.maxInFlight });
  const loginAgent = new Agent({ keepAlive: true });
  const timer = new FineTimer();
  try {
    const sessions = settings.clients.map(
      (client) => new ClientSession(() => passwordLogin(loginAgent, settings.issuerUrl, client)),
    );
    await Promise.all([startSessions(sessions), timer.ready()]);
    return await new OpenLoopRun(settings, agent, sessions, timer).run();
  } finally {
    agent.destroy();
    loginAgent.destroy();
    await timer.close();
  }
}

// The initial logins, a few at a time: the issuer counts attempts in flight against its
// per-user limit (MLRUN_LOGIN_MAX_FAILURES_PER_USER), and they are not part of the run.
async function startSessions(sessions: ClientSession[], concurrency = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < sessions.length) await sessions[next++]?.start();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

class OpenLoopRun {
  private readonly counts: OpenLoopCounts = {
    scheduled: 0,
    sent: 0,
    completed: 0,
    byStatus: {},
    unauthorized: 0,
    logins: 0,
    retries: 0,
    staleSent: 0,
    dropped: 0,
    errors: 0,
  };
  private readonly latency = new LatencyRecorder();
  private readonly lateness = new LatencyRecorder();
  private readonly batches = new BatchMeans();
  private readonly windowStartMs: number;
  private readonly horizonMs: number;
  // Its own stream: whether a request is stale does not shift the arrival times.
  private readonly staleDraw: () => number;
  private startedAt = 0;
  private perSecond = new PerSecondCounts(0, 0);
  private inFlight = 0;
  private scheduleDone = false;
  private drained: () => void = () => undefined;

  constructor(
    private readonly settings: OpenLoopSettings,
    private readonly agent: Agent,
    private readonly sessions: ClientSession[],
    private readonly timer: FineTimer,
  ) {
    this.windowStartMs = settings.warmupSeconds * 1000;
    this.horizonMs = (settings.warmupSeconds + settings.seconds) * 1000;
    this.staleDraw = seededRandom(settings.seed ^ 0x5bd1e995);
  }

  async run(): Promise<OpenLoopResult> {
    const cpuBefore = process.cpuUsage();
    const startedAtEpoch = Date.now();
    this.startedAt = performance.now();
    this.perSecond = new PerSecondCounts(this.startedAt, this.settings.warmupSeconds);
    const allAnswered = new Promise<void>((resolve) => (this.drained = resolve));
    await this.sendOnSchedule();
    this.scheduleDone = true;
    if (this.inFlight === 0) this.drained();
    await allAnswered;
    const elapsedSeconds = (performance.now() - this.startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const batches = Math.ceil(this.settings.seconds / this.settings.batchSeconds);
    const lateness = this.lateness.stats();
    return {
      counts: this.counts,
      latency: this.latency.stats(),
      batchMeans: this.batches.means(batches),
      perSecond: this.perSecond.series(),
      startedAt: startedAtEpoch,
      elapsedSeconds,
      windowSeconds: this.settings.seconds,
      offeredRate: this.counts.scheduled / this.settings.seconds,
      lateness: { p99: lateness.p99, max: lateness.max },
      generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  }

  // Wakes at each arrival's time (or at once when behind) and sends everything due.
  private sendOnSchedule(): Promise<void> {
    const arrivals = poissonArrivals(this.settings.rate, this.sessions.length, this.settings.seed);
    let next = arrivals.next().value as Arrival;
    return new Promise((resolve) => {
      const tick = () => {
        const now = performance.now() - this.startedAt;
        while (next.atMs <= now && next.atMs < this.horizonMs) {
          this.issue(next);
          next = arrivals.next().value as Arrival;
        }
        if (next.atMs >= this.horizonMs) return resolve();
        const wait = next.atMs - (performance.now() - this.startedAt);
        // Timers have 1 ms granularity and may fire up to a millisecond late (which would
        // add to every latency): the last stretch is slept by the fine timer.
        if (wait >= 2) setTimeout(tick, Math.floor(wait) - 1);
        else this.timer.after(wait, tick);
      };
      tick();
    });
  }

  private issue(arrival: Arrival): void {
    const measured = arrival.atMs >= this.windowStartMs;
    const stale = this.settings.staleFraction > 0 && this.staleDraw() < this.settings.staleFraction;
    if (measured) {
      this.counts.scheduled++;
      this.lateness.record(performance.now() - this.startedAt - arrival.atMs);
    }
    if (this.inFlight >= this.settings.maxInFlight) {
      if (measured) this.counts.dropped++;
      return;
    }
    this.inFlight++;
    if (measured) this.counts.sent++;
    if (measured && stale) this.counts.staleSent++;
    this.perSecond.add('sent');
    void this.request(arrival, measured, stale).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0 && this.scheduleDone) this.drained();
    });
  }

  private async request(arrival: Arrival, measured: boolean, stale: boolean): Promise<void> {
    const scheduledAt = this.startedAt + arrival.atMs;
    const session = this.sessions[arrival.client];
    try {
      let answer = await this.send(session, stale);
      if (answer.status === 401 && session) {
        await session.refused(answer.generation, () => this.countLogin());
        if (this.settings.onUnauthorized === 'retry') {
          if (measured) this.counts.retries++;
          answer = await this.send(session, false);
        }
      }
      if (measured) this.countAnswer(answer.status, performance.now() - scheduledAt, arrival);
    } catch {
      if (measured) this.counts.errors++;
    }
  }

  // With clients, waits for any login in flight (that wait is part of the latency).
  private async send(session: ClientSession | undefined, stale: boolean) {
    const { token, generation } = session ? await session.current() : { token: '', generation: 0 };
    const headers = predictHeaders(stale ? staleToken() : token);
    const { status } = await post(
      this.agent,
      this.settings.url,
      this.settings.body,
      headers,
      this.settings.timeoutMs,
    );
    if (status === 401) this.perSecond.add('unauthorized');
    else if (status >= 200 && status < 300) this.perSecond.add('ok');
    return { status, generation };
  }

  private countLogin(): void {
    this.perSecond.add('logins');
    if (performance.now() - this.startedAt >= this.windowStartMs) this.counts.logins++;
  }

  private countAnswer(status: number, latencyMs: number, arrival: Arrival): void {
    this.counts.completed++;
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
    if (status === 401) this.counts.unauthorized++;
    if (status >= 200 && status < 300) {
      this.latency.record(latencyMs);
      const batch = Math.floor(
        (arrival.atMs - this.windowStartMs) / (this.settings.batchSeconds * 1000),
      );
      this.batches.record(batch, latencyMs);
    }
  }
}
