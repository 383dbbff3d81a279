import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { login, REPO_ROOT, startAuthPlane, type AuthPlane } from '@ml-run/process-testing';
import type { ModelRecord } from '@ml-run/registry-contract';

import { zipModel } from './support/bundles';
import {
  accessibilityViolations,
  describeViolations,
  type Violation,
} from './support/console/accessibility';
import { ConsoleArtifacts } from './support/console/artifacts';
import { launchChromium } from './support/console/browser';
import {
  navigate,
  openModel,
  openVersion,
  setSlider,
  signIn,
  SLOW_MS,
  tableUntil,
  UI_MS,
  watchBearer,
  type TableText,
} from './support/console/console-ui';
import { loadTimings } from './support/console/load-timings';
import { PlatformClient } from './support/platform-client';
import { eventually } from './support/real-components';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
const PUBLISHER = { username: 'publisher', password: 'publisher-password-123' };
const CANARY_PERCENT = 10;
const PREDICTIONS = 200;
// Routers reload their table within a second of a change (as the golden path runs).
const SETTINGS = { MLRUN_DRAIN_SECONDS: '1', MLRUN_ROUTES_RECONCILE_SECONDS: '1' };

type Deployed = ModelRecord['deployments'][number];

// Issue 18's scenario, in one browser against the embedded stack: each step leaves the
// page where the next one starts, so they run in order and share the page.
describe('the console in a browser (embedded mode)', () => {
  let plane: AuthPlane;
  let browser: Browser;
  let artifacts: ConsoleArtifacts;
  let publisherContext: BrowserContext;
  let page: Page;
  let api: PlatformClient;
  let adminToken = '';
  const violations: Violation[] = [];
  const versions = { v1: '', v2: '' };

  /** A screenshot of the page as it is, and axe's findings on it in light and dark. */
  const visit = async (on: Page, name: string) => {
    await artifacts.screenshot(on, name);
    violations.push(...(await accessibilityViolations(on, name)));
  };

  /** The issuer's user administration, as the admin (scope admin). */
  const asAdmin = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${plane.issuerUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  // The publisher's steps build on each other: after a failure the next ones say so at
  // once instead of each waiting out its timeouts. A failure carries what the page showed.
  let failedStep = '';
  const step =
    (name: string, on: () => Page, run: () => Promise<void>, independent = false) =>
    async () => {
      if (failedStep && !independent) throw new Error(`not run: "${failedStep}" failed`);
      try {
        await run();
      } catch (error) {
        if (!independent) failedStep = name;
        const shown = await on()
          .locator('body')
          .ariaSnapshot({ timeout: 5000 })
          .catch(() => '');
        await artifacts.screenshot(on(), `failed-${name}`).catch(() => undefined);
        if (error instanceof Error) {
          const message = `${error.message}\n\nthe page showed:\n${shown}`;
          // jest prints the stack, which begins with the message as it was when thrown.
          error.stack = error.stack?.replace(error.message, message);
          error.message = message;
        }
        throw error;
      }
    };

  const model = async () => (await api.model('iris')).body as unknown as ModelRecord;
  const deploymentOf = async (version: string): Promise<Deployed | undefined> =>
    (await model()).deployments.find((d) => d.version === version);
  const readyReplicas = (d?: Deployed) =>
    d?.replicaStatus.filter((r) => r.state === 'ready').length ?? 0;

  beforeAll(async () => {
    artifacts = await ConsoleArtifacts.open();
    plane = await startAuthPlane(SETTINGS);
    adminToken = (await login(plane.issuerUrl, 'admin', plane.adminPassword)).access_token;
    const created = await asAdmin('POST', '/v1/users', { ...PUBLISHER, groups: ['publishers'] });
    expect(created).toEqual({
      status: 201,
      body: { username: 'publisher', groups: ['publishers'] },
    });
    const { access_token } = await login(plane.issuerUrl, PUBLISHER.username, PUBLISHER.password);
    api = new PlatformClient(plane, access_token);
    browser = await launchChromium();
    publisherContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await publisherContext.newPage();
  }, SLOW_MS);

  afterAll(async () => {
    if (artifacts) {
      const file = await artifacts.writeMetrics();
      process.stdout.write(
        `console artifacts in ${artifacts.dir}: ${artifacts.screenshots.join(', ')}\n` +
          `metrics (${file}): ${await readFile(file, 'utf8')}`,
      );
    }
    await browser?.close();
    await plane?.stop();
  });

  it(
    'signs a publisher in',
    step(
      'sign-in',
      () => page,
      async () => {
        const response = await page.goto(`${plane.builderUrl}/console`);
        // A console that is not built answers 503 and says to run the build: show that.
        expect({
          status: response?.status(),
          body: response?.ok() ? '' : await response?.text(),
        }).toEqual({ status: 200, body: '' });
        await page.getByRole('heading', { name: 'Sign in to ML-RUN' }).waitFor({ timeout: UI_MS });
        artifacts.recordLoad('first /console load', await loadTimings(page));
        await visit(page, 'sign-in');

        await signIn(page, PUBLISHER.username, PUBLISHER.password);
        await page
          .getByRole('heading', { name: 'Models', exact: true })
          .waitFor({ timeout: UI_MS });
        await page.getByText(PUBLISHER.username, { exact: true }).first().waitFor();
        // Users and tokens is for admins: a publisher's header has no link to it.
        expect(await page.getByRole('link', { name: 'Users and tokens' }).count()).toBe(0);
        // Opened anyway (a client-side route: a reload would sign out), it says what is missing.
        await page.evaluate(() => {
          history.pushState(null, '', '/console/users');
          dispatchEvent(new PopStateEvent('popstate'));
        });
        await page.getByText('For administrators only').waitFor({ timeout: UI_MS });
        await navigate(page, 'Models');
        await visit(page, 'models');
      },
    ),
  );

  it(
    'uploads examples/iris-python as a zip and shows the build until it succeeds',
    step(
      'upload',
      () => page,
      async () => {
        await page.getByLabel('Model bundle (.zip)').setInputFiles(await zipModel(IRIS));
        versions.v1 = await watchBuild(page, 'build-progress');
        await visit(page, 'build-succeeded');
        await page
          .getByRole('table', { name: 'Models' })
          .getByRole('link', { name: 'iris', exact: true })
          .waitFor({ timeout: UI_MS });
      },
    ),
    SLOW_MS,
  );

  it(
    'deploys two replicas on the version page and predicts in the playground',
    step(
      'deploy',
      () => page,
      async () => {
        await openVersion(page, 'iris', versions.v1);
        await page.getByLabel('Replicas').fill('2');
        await page.getByRole('button', { name: 'Deploy', exact: true }).click();
        await eventually(
          () => deploymentOf(versions.v1),
          (d) => readyReplicas(d) === 2,
          SLOW_MS,
        );

        await page.getByLabel('Request body').fill(SETOSA);
        await page.getByRole('button', { name: 'Predict', exact: true }).click();
        const answer = page.getByRole('region', { name: 'Answer' });
        await answer
          .getByText(/setosa/)
          .first()
          .waitFor({ timeout: UI_MS });
        await page.getByText(/Latency: \d+(\.\d+)? ms/).waitFor({ timeout: UI_MS });
        await visit(page, 'version-playground');

        // The model page shows both replicas ready, live.
        const replicaIds = (await deploymentOf(versions.v1))?.replicaStatus.map((r) => r.id) ?? [];
        await openModel(page, 'iris');
        await tableUntil(page.getByRole('table', { name: 'Deployments' }), (table) =>
          replicaIds.every((id) =>
            rowWith(table, versions.v1)?.some((cell) => cell.toLowerCase().includes(`${id} ready`)),
          ),
        );
        await visit(page, 'model');
      },
    ),
    2 * SLOW_MS,
  );

  it(
    'splits traffic 90/10 to a canary version and shows the split on the Traffic page',
    step(
      'canary',
      () => page,
      async () => {
        const manifest = await readFile(path.join(IRIS, 'ml-run.yaml'), 'utf8');
        const canary = await zipModel(IRIS, {
          'ml-run.yaml': manifest.replace(/^codeVersion: .*$/m, 'codeVersion: 1.1.0'),
        });
        await navigate(page, 'Models');
        await page.getByLabel('Model bundle (.zip)').setInputFiles(canary);
        versions.v2 = await watchBuild(page, 'build-progress-canary');
        expect(versions.v2).not.toBe(versions.v1);

        await openVersion(page, 'iris', versions.v2);
        // The split first: deploying a version while stable names one version alone moves
        // stable to it and retires the old one (the rolling update); a split is left alone.
        await setSlider(page.getByRole('slider', { name: 'Canary weight (%)' }), CANARY_PERCENT);
        await page.getByRole('button', { name: 'Apply canary split' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
        const split = (m: ModelRecord) =>
          Object.fromEntries(m.aliases['stable']?.versions.map((v) => [v.version, v.weight]) ?? []);
        await eventually(
          model,
          (m) =>
            split(m)[versions.v1] === 100 - CANARY_PERCENT &&
            split(m)[versions.v2] === CANARY_PERCENT,
          UI_MS,
        );
        await page.getByLabel('Replicas').fill('1');
        await page.getByRole('button', { name: 'Deploy', exact: true }).click();
        await eventually(
          () => deploymentOf(versions.v2),
          (d) => readyReplicas(d) === 1,
          SLOW_MS,
        );
        await visit(page, 'version-canary');
        // The router routes to the canary's replica (it reloads its table on the event):
        // before this, a draw for the canary could meet no replica. Not counted below.
        const routed = await api.predictWhenRouted('iris', SETOSA, versions.v2, UI_MS);
        expect(routed.status).toBe(200);

        // The Traffic page counts from its first sample: open it, then send the predictions.
        await navigate(page, 'Traffic');
        await chooseModel(page, 'iris');
        const byVersion = page.getByRole('table', { name: 'Traffic by version' });
        await tableUntil(byVersion, (t) => !!rowWith(t, versions.v1) && !!rowWith(t, versions.v2));
        for (let i = 0; i < PREDICTIONS; i++) {
          const res = await api.predict('iris', SETOSA);
          expect(res.status).toBe(200);
        }
        const table = await tableUntil(byVersion, (t) => counted(t) >= PREDICTIONS, SLOW_MS);
        expect(counted(table)).toBe(PREDICTIONS);
        const share = (version: string) => shareOf(table, version);
        expect(Math.abs(share(versions.v1) - (100 - CANARY_PERCENT))).toBeLessThanOrEqual(5);
        expect(Math.abs(share(versions.v2) - CANARY_PERCENT)).toBeLessThanOrEqual(5);
        await visit(page, 'traffic');
      },
    ),
    3 * SLOW_MS,
  );

  it(
    "asks to sign in again once the publisher's tokens are revoked",
    step(
      'revoked',
      () => page,
      async () => {
        const revoked = await asAdmin('POST', `/v1/users/${PUBLISHER.username}/revoke-tokens`);
        expect(revoked.status).toBe(200);
        await page.getByText(/Your session ended/).waitFor({ timeout: UI_MS });
        await page.getByRole('heading', { name: 'Sign in to ML-RUN' }).waitFor();
        await visit(page, 'session-ended');
      },
    ),
  );

  let admin: Page;
  const adminStep = (name: string, run: () => Promise<void>) => step(name, () => admin, run, true);

  it(
    'shows an admin the users and capacity pages, and revokes the token on sign out',
    adminStep('admin', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      admin = await context.newPage();
      const bearer = watchBearer(admin);
      await admin.goto(`${plane.builderUrl}/console`);
      await admin.getByRole('heading', { name: 'Sign in to ML-RUN' }).waitFor({ timeout: UI_MS });
      artifacts.recordLoad('second /console load (another context)', await loadTimings(admin));
      await signIn(admin, 'admin', plane.adminPassword);

      await navigate(admin, 'Users and tokens');
      await tableUntil(admin.getByRole('table', { name: 'Users' }), (t) =>
        t.rows.some((row) => row.includes(PUBLISHER.username)),
      );
      await visit(admin, 'users');

      await navigate(admin, 'Capacity');
      await admin.getByRole('button', { name: 'Solve' }).click();
      await admin.getByRole('table', { name: 'Stations' }).waitFor({ timeout: UI_MS });
      await visit(admin, 'capacity');

      const token = bearer();
      expect(token).toBeDefined();
      await admin.getByRole('button', { name: 'Sign out' }).click();
      await admin.getByRole('heading', { name: 'Sign in to ML-RUN' }).waitFor({ timeout: UI_MS });
      const status = () =>
        fetch(`${plane.builderUrl}/v1/models`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.status);
      expect(await eventually(status, (s) => s === 401, UI_MS)).toBe(401);
      await context.close();
    }),
    SLOW_MS,
  );

  it('has no serious or critical accessibility violation on any page, light or dark', () => {
    expect(describeViolations(violations)).toBe('');
  });

  /** Waits for the upload's build to end on the Models page; answers the new version. */
  async function watchBuild(on: Page, screenshot: string): Promise<string> {
    const progress = on.getByRole('region', { name: 'Build progress' });
    await progress.getByRole('log', { name: 'Build log' }).waitFor({ timeout: UI_MS });
    await artifacts.screenshot(on, screenshot);
    const outcome = on.getByText(/^Build (succeeded|failed)/);
    await outcome.waitFor({ timeout: SLOW_MS });
    expect(await outcome.textContent()).toBe('Build succeeded');
    const built = (await model()).versions.filter((v) => v.state === 'built');
    return built.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))[0]?.version ?? '';
  }
});

async function chooseModel(page: Page, name: string): Promise<void> {
  const select = page
    .getByRole('textbox', { name: 'Model' })
    .or(page.getByRole('combobox', { name: 'Model' }));
  if (
    (await select
      .first()
      .inputValue()
      .catch(() => '')) === name
  )
    return;
  await select.first().click();
  await page.getByRole('option', { name, exact: true }).click();
}

/** The row whose first cells name `key` (a version or a replica id). */
function rowWith(table: TableText, key: string): string[] | undefined {
  return table.rows.find((row) => row.some((cell) => cell === key || cell.startsWith(key)));
}

/** Predictions the "Traffic by version" table counts, over all its rows. */
function counted(table: TableText): number {
  const column = table.headers.findIndex((h) => /predictions|requests|count/i.test(h));
  if (column < 0) throw new Error(`no count column in ${JSON.stringify(table.headers)}`);
  return table.rows.reduce(
    (sum, row) => sum + Number((row[column] ?? '').replace(/[^\d.]/g, '')),
    0,
  );
}

function shareOf(table: TableText, version: string): number {
  const column = table.headers.findIndex((h) => /^share/i.test(h));
  const row = rowWith(table, version);
  if (column < 0 || !row) throw new Error(`no share of ${version} in ${JSON.stringify(table)}`);
  return Number.parseFloat(row[column] ?? '');
}
