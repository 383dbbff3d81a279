import { Injectable, Logger } from '@nestjs/common';

import type { AliasTarget, RouteTable } from '@ml-run/registry-contract';

import type { VersionRef } from '../balancing/inflight-counter';
import { createPool, drainPool, syncPool, type UpstreamPool } from '../balancing/upstream-pool';

/** One model's routes: a pool of READY replicas per deployed version, and its aliases. */
export type ModelRoutes = {
  readonly versions: Map<string, UpstreamPool>;
  readonly aliases: Map<string, AliasTarget>;
};

/**
 * The router's live view of what serves what: always the builder's last route table (never
 * an event's payload, see RouteSync). Pools are updated in place, so replicas keep their
 * outstanding counts across snapshots.
 */
@Injectable()
export class RoutingTable {
  private readonly logger = new Logger(RoutingTable.name);
  private readonly models = new Map<string, ModelRoutes>();
  private snapshotApplied = false;

  /** False until a snapshot is in: before that, a missing model means "not known yet". */
  get loaded(): boolean {
    return this.snapshotApplied;
  }

  model(name: string): ModelRoutes | undefined {
    return this.models.get(name);
  }

  modelNames(): string[] {
    return [...this.models.keys()];
  }

  /** Makes the table exactly the snapshot (replicas still listed keep their state). */
  replace(snapshot: RouteTable): void {
    for (const [name, model] of this.models) {
      model.aliases.clear();
      const wanted = Object.hasOwn(snapshot.models, name) ? snapshot.models[name] : undefined;
      for (const version of [...model.versions.keys()]) {
        if (!wanted || !Object.hasOwn(wanted.versions, version)) this.removeVersion(name, version);
      }
    }
    for (const [name, routes] of Object.entries(snapshot.models)) {
      for (const [version, urls] of Object.entries(routes.versions)) {
        this.setVersion(name, version, urls);
      }
      for (const [alias, target] of Object.entries(routes.aliases)) {
        this.setAlias(name, alias, target);
      }
    }
    for (const name of this.modelNames()) this.dropIfEmpty(name);
    this.snapshotApplied = true;
  }

  setVersion(name: string, version: string, urls: readonly string[]): void {
    const model = this.ensure(name);
    const pool = model.versions.get(version) ?? createPool(name, version);
    model.versions.set(version, pool);
    const invalid = syncPool(pool, urls);
    if (invalid.length > 0) {
      this.logger.warn({ model: name, version, urls: invalid }, 'replica urls ignored');
    }
  }

  /** Drops the version; requests already sent to its replicas still finish. */
  removeVersion(name: string, version: string): void {
    const model = this.models.get(name);
    const pool = model?.versions.get(version);
    if (!model || !pool) return;
    drainPool(pool);
    model.versions.delete(version);
    this.dropIfEmpty(name);
  }

  /** Sets the alias, or deletes it when `target` is null. */
  setAlias(name: string, alias: string, target: AliasTarget | null): void {
    if (target) {
      this.ensure(name).aliases.set(alias, target);
      return;
    }
    this.models.get(name)?.aliases.delete(alias);
    this.dropIfEmpty(name);
  }

  versions(): VersionRef[] {
    const refs: VersionRef[] = [];
    for (const [name, model] of this.models) {
      for (const version of model.versions.keys()) refs.push({ name, version });
    }
    return refs;
  }

  /** READY replica endpoints across every version. */
  endpointCount(): number {
    let count = 0;
    for (const model of this.models.values()) {
      for (const pool of model.versions.values()) count += pool.upstreams.length;
    }
    return count;
  }

  /** Retires every replica (the router is shutting down). */
  clear(): void {
    for (const model of this.models.values()) {
      for (const pool of model.versions.values()) drainPool(pool);
    }
    this.models.clear();
  }

  private ensure(name: string): ModelRoutes {
    let model = this.models.get(name);
    if (!model) {
      model = { versions: new Map(), aliases: new Map() };
      this.models.set(name, model);
    }
    return model;
  }

  private dropIfEmpty(name: string): void {
    const model = this.models.get(name);
    if (model && model.versions.size === 0 && model.aliases.size === 0) this.models.delete(name);
  }
}
