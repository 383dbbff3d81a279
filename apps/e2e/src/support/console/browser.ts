import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium (tools/services/chromium/up.sh): Playwright's own browser download
// cannot work on this network, so playwright-core drives the system's build.
const CHROMIUM = process.env['MLRUN_CHROMIUM'] || '/usr/bin/chromium';

/** A headless chromium; fails with what to run when the browser is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: run tools/services/chromium/up.sh (or set MLRUN_CHROMIUM)`,
    );
  // Chromium's sandbox refuses to start as root; it stays on for any other user.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
