import type { StatusStream } from '../cli-deps';

export type ProgressBar = { update(done: number): void; finish(): void };

const WIDTH = 30;
const REDRAW_MS = 100;
const PLAIN_STEP = 25;

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "label [#######-------]  47% 1.2 MiB / 2.5 MiB" */
export function renderProgress(label: string, done: number, total: number): string {
  const ratio = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(ratio * WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label} [${bar}] ${percent} ${formatBytes(done)} / ${formatBytes(total)}`;
}

/**
 * A one-line progress bar: redrawn in place with "\r" on a terminal (at most every 100 ms),
 * else a plain line at every quarter, so logs stay readable.
 */
export function createProgressBar(
  stream: StatusStream,
  label: string,
  total: number,
  now: () => number = Date.now,
): ProgressBar {
  let done = 0;
  let drawnAt = -Infinity;
  let lastStep = -1;
  let width = 0;
  const draw = (end: string) => {
    const line = renderProgress(label, done, total);
    stream.write(`\r${line.padEnd(width)}${end}`);
    width = line.length;
    drawnAt = now();
  };
  const plain = () => {
    const step = total > 0 ? Math.floor((Math.min(done / total, 1) * 100) / PLAIN_STEP) : 4;
    if (step > lastStep) stream.write(`${renderProgress(label, done, total)}\n`);
    lastStep = Math.max(step, lastStep);
  };
  return {
    update(value) {
      done = value;
      if (!stream.isTTY) plain();
      else if (now() - drawnAt >= REDRAW_MS) draw('');
    },
    finish() {
      if (stream.isTTY) draw('\n');
      else if (lastStep < 100 / PLAIN_STEP) plain();
    },
  };
}
