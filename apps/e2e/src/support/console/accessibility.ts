import { AxeBuilder } from '@axe-core/playwright';
import type { ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

export type Scheme = 'light' | 'dark';

/** One failing axe rule on one page in one color scheme. */
export type Violation = {
  page: string;
  scheme: Scheme;
  rule: string;
  impact: ImpactValue;
  help: string;
  targets: string[];
};

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];
const BLOCKING = new Set<ImpactValue>(['serious', 'critical']);

/**
 * Shows the page in a color scheme: the browser's preference first, then the header's
 * toggle when the app does not follow it. Mantine marks the scheme on <html>.
 */
export async function showScheme(page: Page, scheme: Scheme): Promise<void> {
  const shows = (timeout: number) =>
    page
      .waitForFunction(
        (wanted) => document.documentElement.getAttribute('data-mantine-color-scheme') === wanted,
        scheme,
        { timeout },
      )
      .then(
        () => true,
        () => false,
      );
  await page.emulateMedia({ colorScheme: scheme });
  // The app re-renders on the media change a moment later; a toggle clicked before that
  // would store the opposite choice.
  if (await shows(3000)) return;
  const toggle = page.getByRole('button', { name: 'Toggle color scheme' });
  if (await toggle.isVisible()) await toggle.click();
  if (!(await shows(10_000)))
    throw new Error(`the page does not show the ${scheme} color scheme (no toggle or media)`);
}

/**
 * axe-core (WCAG 2.0 A/AA, 2.1 AA) on the page as it is now, in light and in dark; answers
 * the serious and critical violations (the minor ones are printed by nobody). Ends light.
 */
export async function accessibilityViolations(page: Page, name: string): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    try {
      await showScheme(page, scheme);
    } catch (error) {
      found.push({
        page: name,
        scheme,
        rule: 'color-scheme',
        impact: 'serious',
        help: (error as Error).message,
        targets: [],
      });
      continue;
    }
    await settled(page);
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of violations) {
      if (!v.impact || !BLOCKING.has(v.impact)) continue;
      const targets = v.nodes.map((n) => n.target.join(' ')).slice(0, 5);
      found.push({ page: name, scheme, rule: v.id, impact: v.impact, help: v.help, targets });
    }
  }
  await showScheme(page, 'light').catch(() => undefined);
  return found;
}

// axe judges the page at rest: no pointer over a control (a hover tint is a state of its
// own), and no color transition from the scheme switch still running (its in-between
// colors would fail contrast one run and pass the next).
async function settled(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    // A spinner runs forever: only the animations that end are waited for.
    const ending = document
      .getAnimations()
      .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    return Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
  });
}

export function describeViolations(violations: Violation[]): string {
  return violations
    .map(
      (v) =>
        `${v.page} (${v.scheme}): ${v.impact} ${v.rule}: ${v.help}` +
        (v.targets.length ? `\n    at ${v.targets.join('\n    at ')}` : ''),
    )
    .join('\n');
}
