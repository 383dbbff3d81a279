// The per-case table: medians over rounds, each case's ratio to its baseline. Pure.
import type { CaseName, CaseSpec } from './cases';
import { ROLE_ORDER, type RoleName } from './cpu-accounting';
import type { WindowResult } from './measure';
import { median } from './stats';

/** How a case ended: measured, failed (not every answer 2xx, or no start), or not run. */
export type CaseOutcome = {
  name: CaseName;
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  reason?: string;
  windows: WindowResult[];
};

export type RoleSummary = { role: RoleName; usPerRequest: number; coresBusy: number };

export type CaseSummary = {
  name: CaseName;
  path: string;
  status: CaseOutcome['status'];
  reason?: string;
  rounds: number;
  /** Medians over the rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Totals over the rounds. */
  responses: number;
  non2xx: number;
  errors: number;
  byStatus: Record<string, number>;
  /** Per role, medians over the rounds, in ROLE_ORDER. */
  cpu: RoleSummary[];
  /** rps ÷ the baseline case's rps, when both were measured. */
  ratio?: { baseline: CaseName; value: number };
};

/** Why a window does not count as a measurement (a failed case), or undefined. */
export function windowProblem(window: WindowResult): string | undefined {
  const { load } = window;
  if (load.non2xx === 0 && load.errors === 0 && load.responses > 0) return undefined;
  const statuses = Object.entries(load.byStatus)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
  if (load.responses === 0 && load.errors === 0) return 'no answers at all';
  return `${load.non2xx} answers not 2xx${statuses ? ` (${statuses})` : ''}, ${load.errors} connection errors or timeouts`;
}

export function summarizeCases(
  specs: readonly CaseSpec[],
  outcomes: readonly CaseOutcome[],
): CaseSummary[] {
  const rows = specs.map((spec) =>
    summarizeCase(
      spec,
      outcomes.find((o) => o.name === spec.name),
    ),
  );
  for (const [i, spec] of specs.entries()) {
    const row = rows[i];
    const base = rows.find((r) => r.name === spec.baseline);
    if (row && base && row.status === 'ok' && base.status === 'ok' && base.rps > 0)
      row.ratio = { baseline: base.name, value: row.rps / base.rps };
  }
  return rows;
}

function summarizeCase(spec: CaseSpec, outcome: CaseOutcome | undefined): CaseSummary {
  const windows = outcome?.windows ?? [];
  const byStatus: Record<string, number> = {};
  for (const window of windows)
    for (const [status, count] of Object.entries(window.load.byStatus))
      byStatus[status] = (byStatus[status] ?? 0) + count;
  const roles = ROLE_ORDER.filter((role) =>
    windows.some((w) => w.cpu.some((c) => c.role === role)),
  );
  const of = (role: RoleName, key: 'usPerRequest' | 'coresBusy') =>
    median(
      windows
        .map((w) => w.cpu.find((c) => c.role === role)?.[key] ?? Number.NaN)
        .filter((v) => !Number.isNaN(v)),
    );
  return {
    name: spec.name,
    path: spec.path,
    status: outcome?.status ?? 'skipped',
    ...(outcome?.reason !== undefined ? { reason: outcome.reason } : {}),
    rounds: windows.length,
    rps: median(windows.map((w) => w.load.rps)),
    p50Ms: median(windows.map((w) => w.load.p50Ms)),
    p99Ms: median(windows.map((w) => w.load.p99Ms)),
    responses: windows.reduce((sum, w) => sum + w.load.responses, 0),
    non2xx: windows.reduce((sum, w) => sum + w.load.non2xx, 0),
    errors: windows.reduce((sum, w) => sum + w.load.errors, 0),
    byStatus,
    cpu: roles.map((role) => ({
      role,
      usPerRequest: of(role, 'usPerRequest'),
      coresBusy: of(role, 'coresBusy'),
    })),
  };
}
