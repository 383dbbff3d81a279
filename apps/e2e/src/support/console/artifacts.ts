import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

import { REPO_ROOT } from '@ml-run/process-testing';

import type { LoadTimings } from './load-timings';

// CI may collect them from elsewhere; the default is gitignored (/artifacts).
const DIR = process.env['MLRUN_CONSOLE_ARTIFACTS_DIR'] || path.join(REPO_ROOT, 'artifacts/console');
const OURS = /^(\d\d-.+\.png|metrics\.json)$/;

/** Numbered screenshots (`NN-name.png`) and the page load metrics of one browser run. */
export class ConsoleArtifacts {
  readonly screenshots: string[] = [];
  private readonly loads: (LoadTimings & { page: string })[] = [];

  private constructor(readonly dir: string) {}

  /** The artifacts directory, emptied of an earlier run's files. */
  static async open(): Promise<ConsoleArtifacts> {
    await mkdir(DIR, { recursive: true });
    for (const name of await readdir(DIR))
      if (OURS.test(name)) await rm(path.join(DIR, name), { force: true });
    return new ConsoleArtifacts(DIR);
  }

  /** A full-page screenshot, numbered in the order taken. */
  async screenshot(page: Page, name: string): Promise<string> {
    const file = `${String(this.screenshots.length + 1).padStart(2, '0')}-${name}.png`;
    // From the top: scrolled, the sticky header would be drawn across the page's middle.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(this.dir, file), fullPage: true });
    this.screenshots.push(file);
    return file;
  }

  recordLoad(page: string, timings: LoadTimings): void {
    this.loads.push({ page, ...timings });
  }

  /** metrics.json: every full page load's timings, the first one's paint on top. */
  async writeMetrics(): Promise<string> {
    const first = this.loads[0];
    const metrics = {
      firstContentfulPaintMs: first?.firstContentfulPaintMs ?? null,
      loads: this.loads,
      screenshots: this.screenshots,
    };
    const file = path.join(this.dir, 'metrics.json');
    await writeFile(file, `${JSON.stringify(metrics, null, 2)}\n`);
    return file;
  }
}
