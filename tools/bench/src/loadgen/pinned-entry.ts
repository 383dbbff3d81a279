// The child side of runPinned: reads { kind, options } as JSON on stdin, runs that loop
// in this (pinned) process and writes its result as JSON on stdout.
import { runClosedLoop } from './closed-loop';
import { runOpenLoop } from './open-loop';
import type { PinnedJob } from './pinning';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PinnedJob;
  const result =
    job.kind === 'open' ? await runOpenLoop(job.options) : await runClosedLoop(job.options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
