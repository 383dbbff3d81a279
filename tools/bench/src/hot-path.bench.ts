// The hot-path benchmark (issue 17): every path a prediction can take, from the bare
// node:http echo to router → wrapper with auth, python models and the MLflow and BentoML
// peers, measured in one run in interleaved rounds, with CPU per request of each process
// role, the goals judged from the same run, and a JSON and markdown report.
// npm run bench -- [--quick] [--rounds 3] [--duration 10] [--warmup 2] [--connections 50]
//   [--cases a,b] [--profile] [--no-peers] [--out dist/bench/hot-path] [--baseline <dir>]
//   [--baseline-wrapper <dir>]          (README: tools/bench/README.md, "npm run bench")
import { CaseListError } from './hot-path/cases';
import { Cleanup } from './hot-path/cleanup';
import { FlagError, parseFlags, USAGE } from './hot-path/flags';
import { describeMachine, describeRun, writeReport } from './hot-path/report-json';
import { runHotPath } from './hot-path/run-hot-path';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv);
  const startedAt = new Date();
  const machine = describeMachine();
  const cleanup = new Cleanup();
  const log = (line: string) => process.stderr.write(`[hot-path] ${line}\n`);
  try {
    const result = await runHotPath(flags, cleanup, log);
    const report = { run: describeRun(startedAt, argv), machine, flags, result };
    const written = writeReport(flags.out, report);
    process.stdout.write(`wrote ${written.markdown} and ${written.json}\n`);
    const failed = result.cases.filter((c) => c.status === 'failed');
    if (failed.length > 0 || (result.openLoop && !result.openLoop.ok)) {
      process.stderr.write(
        `FAILED cases (not every answer 2xx): ${failed.map((c) => `${c.name} (${c.reason ?? ''})`).join('; ') || 'none'}${result.openLoop && !result.openLoop.ok ? `; open loop: ${result.openLoop.note ?? ''}` : ''}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await cleanup.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof FlagError || error instanceof CaseListError) {
      process.stderr.write(`${error.message}\nusage: ${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
