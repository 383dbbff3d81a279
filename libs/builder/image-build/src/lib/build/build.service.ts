import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import pLimit from 'p-limit';

import { ModelEvents } from '@ml-run/builder-registry';
import type {
  BuildRecord,
  BuildStep,
  ModelVersionRecord,
  VersionState,
} from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { BuildRun, STEP_ORDER } from './build-run';
import { BuildRunner } from './build-runner.service';
import { BuildTracker } from './build-tracker.service';
import { BuildErrorCode, buildNotFound, BuildStepError } from './build.errors';
import { BuildMetrics } from './build.metrics';

/** How many builds run at once, and how long one may take (MLRUN_ settings). */
export type BuildLimits = { maxConcurrent: number; timeoutMs: number };

export const BUILD_LIMITS = Symbol('BUILD_LIMITS');

/** Builds versions in the background: one BuildRecord per build, events at start and end. */
@Injectable()
export class BuildService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BuildService.name);
  private readonly slots: pLimit.Limit;

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly events: ModelEvents,
    private readonly metrics: BuildMetrics,
    private readonly tracker: BuildTracker,
    private readonly runner: BuildRunner,
    @Inject(BUILD_LIMITS) private readonly limits: BuildLimits,
  ) {
    this.slots = pLimit(limits.maxConcurrent);
  }

  /**
   * Records build `version.buildId` as queued and runs it in the background, when one of
   * MLRUN_MAX_CONCURRENT_BUILDS slots is free: uploads cannot make a builder run without bound.
   */
  async start(version: ModelVersionRecord): Promise<void> {
    const run = new BuildRun(queuedBuild(version));
    await this.store.putBuild(run.snapshot());
    const done = this.slots(() => this.execute(run, version)).catch((error: unknown) => {
      this.logger.error({ err: error, buildId: run.record.id }, 'build not concluded');
    });
    this.tracker.track(run, done);
  }

  /** The build as it is now: live while it runs here, else as stored. */
  async get(id: string): Promise<BuildRecord> {
    const record = this.tracker.get(id)?.snapshot() ?? (await this.store.getBuild(id));
    if (record === undefined) throw buildNotFound(id);
    return record;
  }

  // A restart interrupts builds (they are stopped, not failed): run them again.
  async onApplicationBootstrap(): Promise<void> {
    for (const name of await this.store.listModels()) {
      for (const version of await this.store.listVersions(name)) {
        if (version.state !== 'uploaded' && version.state !== 'building') continue;
        this.logger.log({ model: name, version: version.version }, 'resuming interrupted build');
        await this.start(version);
      }
    }
  }

  private async execute(run: BuildRun, version: ModelVersionRecord): Promise<void> {
    // Stopped by a shutdown while queued: still queued, resumed on the next start.
    if (run.abort.signal.aborted) return;
    const startedAt = performance.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      run.abort.abort();
    }, this.limits.timeoutMs);
    try {
      await this.runBuild(run, version, startedAt, () => timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runBuild(
    run: BuildRun,
    version: ModelVersionRecord,
    startedAt: number,
    timedOut: () => boolean,
  ): Promise<void> {
    const progress = new ProgressWrites(this.store, this.logger, run);
    const unsubscribe = run.subscribe((event) => {
      if (event.type === 'step') progress.persist();
    });
    let failure: BuildRecord['error'] | undefined;
    let interrupted = false;
    try {
      run.started();
      await this.setVersionState(version, 'building');
      await this.events.publish({ type: 'build.started', ...ids(run.record) });
      await this.runner.execute(run, version);
    } catch (error) {
      // Stopped by a shutdown: left as is, to be resumed on the next start.
      interrupted = run.abort.signal.aborted && !timedOut();
      failure = timedOut() ? buildTimeout(this.limits.timeoutMs) : buildError(error);
    } finally {
      unsubscribe();
      // A build is over only when its records stopped changing: shutdown waits for this.
      await progress.settled();
    }
    if (interrupted) return;
    await this.conclude(run, version, failure, (performance.now() - startedAt) / 1000);
  }

  private async conclude(
    run: BuildRun,
    version: ModelVersionRecord,
    failure: BuildRecord['error'] | undefined,
    seconds: number,
  ) {
    const { record } = run;
    const succeeded = failure === undefined;
    try {
      // The version first: whoever sees the build succeed may deploy the version at once.
      await this.setVersionState(version, succeeded ? 'built' : 'build_failed');
      run.finish(succeeded ? 'succeeded' : 'failed', failure);
      await this.store.putBuild(run.snapshot());
      this.metrics.finished(succeeded ? 'succeeded' : 'failed', seconds);
      this.logger.log(
        { ...ids(record), seconds, error: record.error },
        succeeded ? 'build succeeded' : 'build failed',
      );
      await this.events.publish(
        record.error === undefined
          ? { type: 'build.succeeded', ...ids(record) }
          : { type: 'build.failed', ...ids(record), error: record.error },
      );
    } finally {
      run.close();
    }
  }

  private async setVersionState(version: ModelVersionRecord, state: VersionState) {
    const current = await this.store.getVersion(version.name, version.version);
    await this.store.putVersion({ ...(current ?? version), state });
  }
}

/**
 * A build's progress records, written one after another in the order the steps changed (a
 * slow write never lands over a newer one), and awaited before the build counts as over.
 */
class ProgressWrites {
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RegistryStore,
    private readonly logger: Logger,
    private readonly run: BuildRun,
  ) {}

  persist(): void {
    const snapshot = this.run.snapshot();
    this.last = this.last.then(() =>
      this.store.putBuild(snapshot).catch((error: unknown) => {
        this.logger.error({ err: error, buildId: snapshot.id }, 'build record not stored');
      }),
    );
  }

  settled(): Promise<void> {
    return this.last;
  }
}

function queuedBuild(version: ModelVersionRecord): BuildRecord {
  const steps: BuildStep[] = STEP_ORDER.map((name) => ({ name, state: 'pending' }));
  // validate ran at upload: inspectBundle accepted the zip before anything was recorded.
  Object.assign(steps[0] as BuildStep, {
    state: 'done',
    startedAt: version.uploadedAt,
    finishedAt: version.uploadedAt,
    message: 'zip and manifest checked at upload',
  });
  return {
    id: version.buildId,
    name: version.name,
    version: version.version,
    state: 'queued',
    steps,
    log: [],
    createdAt: new Date().toISOString(),
  };
}

function ids(record: BuildRecord) {
  return { name: record.name, version: record.version, buildId: record.id };
}

function buildTimeout(timeoutMs: number): NonNullable<BuildRecord['error']> {
  return {
    code: BuildErrorCode.BuildTimeout,
    message: `the build took longer than ${timeoutMs / 1000} s (MLRUN_BUILD_TIMEOUT_SECONDS) and was stopped; make the dependencies lighter or raise the limit`,
  };
}

function buildError(error: unknown): NonNullable<BuildRecord['error']> {
  if (error instanceof BuildStepError) return { code: error.code, message: error.message };
  return { code: 'BUILD_FAILED', message: error instanceof Error ? error.message : String(error) };
}
