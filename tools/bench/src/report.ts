export type Sample = { rps: number; p50: number; p99: number };
export type Row = Sample & {
  name: string;
  validatorCalls?: number;
  /** CPU time of the process that answered, per request: steadier than req/s on a busy host. */
  cpuUsPerRequest?: number;
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Prints the table and the ratios against the first row (the baseline). */
export function printReport(report: {
  title: string;
  connections: number;
  secondsPerRun: number;
  rows: Row[];
}): void {
  const [baseline] = report.rows;
  if (!baseline) return;
  const calls = (row: Row) =>
    row.validatorCalls === undefined ? '' : String(row.validatorCalls).padStart(17);
  const cpu = (row: Row) =>
    row.cpuUsPerRequest === undefined ? '' : row.cpuUsPerRequest.toFixed(0).padStart(16);
  const lines = [
    `${report.title}, ${report.connections} connections, ${report.secondsPerRun} s per run (medians of rounds)`,
    '',
    `${'variant'.padEnd(32)}${'req/s'.padStart(10)}${'p50 µs'.padStart(9)}${'p99 µs'.padStart(9)}${'vs 1st'.padStart(9)}${baseline.validatorCalls === undefined ? '' : 'validator calls'.padStart(17)}${baseline.cpuUsPerRequest === undefined ? '' : 'cpu µs/request'.padStart(16)}`,
    ...report.rows.map(
      (row) =>
        `${row.name.padEnd(32)}${row.rps.toFixed(0).padStart(10)}${row.p50.toFixed(0).padStart(9)}${row.p99.toFixed(0).padStart(9)}${(row.rps / baseline.rps).toFixed(3).padStart(9)}${calls(row)}${cpu(row)}`,
    ),
    '',
    ...report.rows
      .slice(1)
      .map(
        (row) =>
          `${row.name}: throughput overhead ${((1 - row.rps / baseline.rps) * 100).toFixed(1)}%`,
      ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
