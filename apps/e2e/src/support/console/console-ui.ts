import type { Locator, Page } from 'playwright-core';

// The accessible names the console promises (docs: CONSOLE-DESIGN "UI names the browser
// test relies on"); the test finds everything by role and name, as a screen reader would.

/** Builds and replica starts on a loaded 2-core box: generous, never a timing assertion. */
export const SLOW_MS = 180_000;
export const UI_MS = 30_000;

export type NavLink = 'Models' | 'Traffic' | 'Capacity' | 'Users and tokens';

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to ML-RUN' }).waitFor({ timeout: UI_MS });
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: UI_MS });
}

/** Client-side navigation by the header's links: a reload would end the session. */
export async function navigate(page: Page, link: NavLink): Promise<void> {
  // The header comes first; a page may link back to the same place (a breadcrumb).
  await page.getByRole('link', { name: link, exact: true }).first().click();
  await page.getByRole('heading', { name: link, exact: true }).waitFor({ timeout: UI_MS });
}

export async function openModel(page: Page, name: string): Promise<void> {
  await navigate(page, 'Models');
  const models = page.getByRole('table', { name: 'Models' });
  await models.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor({ timeout: UI_MS });
}

export async function openVersion(page: Page, name: string, version: string): Promise<void> {
  await openModel(page, name);
  const versions = page.getByRole('table', { name: 'Versions' });
  await versions.getByRole('link', { name: version, exact: true }).click();
  await page
    .getByRole('heading', { name: `${name} ${version}`, exact: true })
    .waitFor({ timeout: UI_MS });
}

/** The last bearer token the page sent (the console keeps it in memory only). */
export function watchBearer(page: Page): () => string | undefined {
  let token: string | undefined;
  page.on('request', (request) => {
    const header = request.headers()['authorization'];
    if (header?.startsWith('Bearer ')) token = header.slice('Bearer '.length);
  });
  return () => token;
}

export type TableText = { headers: string[]; rows: string[][] };

/** A table's header and body cells as the user reads them. */
export function tableText(table: Locator): Promise<TableText> {
  return table.evaluate((element) => {
    // As laid out (innerText): "iris-0 ready", not "iris-0ready".
    const text = (cell: Element) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
    const cells = (row: Element) => [...row.querySelectorAll('th, td')].map(text);
    const head = element.querySelector('thead tr');
    const body = [...element.querySelectorAll('tbody tr')];
    return { headers: head ? cells(head) : [], rows: body.map(cells) };
  });
}

/** Polls the table until `check` holds; fails with its last text. */
export async function tableUntil(
  table: Locator,
  check: (text: TableText) => boolean,
  timeoutMs = UI_MS,
): Promise<TableText> {
  const deadline = Date.now() + timeoutMs;
  let last: TableText = { headers: [], rows: [] };
  for (;;) {
    last = await tableText(table).catch(() => last);
    if (check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `table not as expected within ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
      );
    await table.page().waitForTimeout(250);
  }
}

/**
 * Sets a slider by keyboard (as a user without a mouse would) to `value`: from its minimum
 * (Home), so the keys move it even when it starts at `value`.
 */
export async function setSlider(slider: Locator, value: number): Promise<void> {
  await slider.focus();
  await slider.press('Home');
  for (let step = 0; step < 200; step++) {
    const now = Number(await slider.getAttribute('aria-valuenow'));
    if (now === value) return;
    await slider.press(now < value ? 'ArrowRight' : 'ArrowLeft');
  }
  throw new Error(`slider did not reach ${value}: ${await slider.getAttribute('aria-valuenow')}`);
}
