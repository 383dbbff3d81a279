// The whole run's results: what experiments.bench.ts writes as JSON and the report renders.
import type { Fig5Result } from './fig5';
import type { Fig6Result } from './fig6';
import type { Interval } from './interval';
import type { LoginCost } from './login-cost';
import type { Machine } from './machine';
import type { Scaling } from './scaling';
import type { ValidationRun } from './validation-summary';

/** A calibrated station: its mean service time and the rate 1/time the model takes. */
export type CalibratedStation = {
  station: string;
  serviceTimeMs: number;
  serviceRate: number;
  /** How it was measured (CPU per completion, light-load latency). */
  method: string;
};

export type CalibrationSummary = {
  /** Where the capacity parameter file was written, relative to the report. */
  parameterFile: string;
  /** The bundle whose predict was calibrated. */
  model: string;
  stations: CalibratedStation[];
};

/** One model-against-measurement comparison of the validation runs. */
export type ValidationComparison = {
  /** The utilization the run was set up for (ρ of the busiest station). */
  utilization: number;
  wrappers: number;
  kind: 'rate' | 'mean latency' | 'p99 latency';
  /** The station (arrival rates) or 'end to end' (latency). */
  station: string;
  unit: string;
  model: number;
  simulated?: number;
  measured: Interval;
};

export type ExperimentsResults = {
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: Machine;
  /** A login at the experiments' scrypt cost (the test users) and at the production one. */
  loginCosts: LoginCost[];
  calibration: CalibrationSummary;
  validation: {
    /** The bundle and anything else every run shared. */
    settings: Record<string, string | number>;
    comparisons: ValidationComparison[];
    runs: ValidationRun[];
    /** runValidation's rows as they came: every figure the tables leave out. */
    rows: unknown[];
  };
  fig5: Fig5Result;
  fig6: Fig6Result;
  scaling: Scaling;
  /** The SVG files, relative to the report's directory. */
  figures: { fig5: string; fig6: string; loginRate: string };
  /** The JSON file of these results, relative to the report's directory. */
  rawResults: string;
};
