// Proves dist/images/model-wrapper/ runs without node_modules: copied to a temp folder with no
// node_modules above it and started with no NODE_PATH, it serves examples/iris-python and
// examples/echo-node and shuts down gracefully on SIGTERM, having loaded no file from outside
// the copy (the model's own aside). Also compares it with dist/apps/model-wrapper/main.js,
// and serves examples/echo-node with its workers started by the copy's worker host
// (mlrun-worker-host.js, the openshift target's model container) over a unix socket.
// Usage: npm run build && node tools/build/check-image-bundle.mjs
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// Real paths: the probe below sees the files node loaded by their real path.
const root = await realpath(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
const imageDir = path.join(root, 'dist/images/model-wrapper');
const appMain = path.join(root, 'dist/apps/model-wrapper/main.js');
const examples = path.join(root, 'examples');
const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;

const cases = [
  {
    model: 'iris-python',
    body: '{"features":[5.1,3.5,1.4,0.2]}',
    accept: (text) => /"class":\s*"setosa"/.test(text),
    expected: 'class "setosa"',
  },
  {
    model: 'echo-node',
    body: 'hello',
    accept: (text) => text === 'echo: hello',
    expected: '"echo: hello"',
  },
];

// Preloaded into the wrapper: records each file require() loads (the bundle has no ESM) and
// whether Nest re-raised the signal once its shutdown hooks had run, as it does without
// useProcessExit. Appended as they happen: a process ended by a signal runs no 'exit' handler.
const PROBE = `
const { appendFileSync } = require('node:fs');
const Module = require('node:module');
const record = (line) => appendFileSync(process.env.CHECK_PROBE_FILE, line + '\\n');
const load = Module.prototype.load;
Module.prototype.load = function (filename) {
  record('loaded ' + filename);
  return load.call(this, filename);
};
const kill = process.kill;
process.kill = function (pid, signal) {
  if (pid === process.pid) record('reraised ' + signal);
  return kill.call(this, pid, signal);
};
`;

class CheckError extends Error {}

function fail(message) {
  throw new CheckError(message);
}

function timings({ listeningMs, readyMs }) {
  return `listening after ${listeningMs.toFixed(0)} ms, ready after ${readyMs.toFixed(0)} ms`;
}

function describeExit({ code, signal }) {
  if (code === 0) return 'exit 0';
  return signal === 'SIGTERM'
    ? 'shut down, then SIGTERM re-raised by Nest (status 143)'
    : `${code ?? signal}`;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function nodeModulesAbove(dir) {
  const found = [];
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules'))) found.push(current);
    if (path.dirname(current) === current) return found;
  }
}

// A wrapper started with only PATH (python3), a HOME without ~/.node_modules and its settings.
function startWrapper({ main, cwd, modelDir, port, nodeArgs = [], extraEnv = {} }) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    MLRUN_MODEL_DIR: modelDir,
    MLRUN_PORT: String(port),
    MLRUN_AUTH_MODE: 'disabled',
    MLRUN_HOST: '127.0.0.1',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [...nodeArgs, main], { cwd, env });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const tail = () => Buffer.concat(output).toString().trim().split('\n').slice(-30).join('\n');
  return { child, exited, tail, startedAt: performance.now() };
}

// Milliseconds from spawn to the first `status` answer from url.
async function waitForStatus(wrapper, url, status) {
  const deadline = performance.now() + START_TIMEOUT_MS;
  let exit;
  wrapper.exited.then((result) => (exit = result));
  while (performance.now() < deadline) {
    if (exit) fail(`exited (${exit.code ?? exit.signal}) before ${url} answered ${status}`);
    const answered = await fetch(url).then(
      (response) => response.status,
      () => undefined,
    );
    if (answered === status) return performance.now() - wrapper.startedAt;
    await sleep(20);
  }
  fail(`${url} did not answer ${status} within ${START_TIMEOUT_MS} ms`);
}

async function stop(wrapper) {
  wrapper.child.kill('SIGTERM');
  const timer = setTimeout(() => wrapper.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const result = await wrapper.exited;
  clearTimeout(timer);
  return result;
}

// Runs `check` against a started wrapper, which never outlives it; a failed check ends
// with the wrapper's output.
async function whileRunning(wrapper, check) {
  try {
    return await check();
  } catch (error) {
    if (error instanceof CheckError) error.message += `\n--- wrapper output\n${wrapper.tail()}`;
    throw error;
  } finally {
    wrapper.child.kill('SIGKILL');
  }
}

async function expectStatus(base, urlPath, status) {
  const response = await fetch(base + urlPath);
  if (response.status !== status) fail(`GET ${urlPath}: ${response.status}, expected ${status}`);
  return response.text();
}

async function checkCase(sandbox, probe, { model, body, accept, expected }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const probeFile = path.join(probe, `${model}.probe.txt`);
  const wrapper = startWrapper({
    main: 'main.js',
    cwd: sandbox,
    modelDir: path.join(examples, model),
    port,
    nodeArgs: ['--require', path.join(probe, 'probe.cjs')],
    extraEnv: { CHECK_PROBE_FILE: probeFile },
  });
  return whileRunning(wrapper, async () => {
    const listeningMs = await waitForStatus(wrapper, `${base}/healthz`, 200);
    const readyMs = await waitForStatus(wrapper, `${base}/readyz`, 200);
    const response = await fetch(`${base}/v1/predict`, { method: 'POST', body });
    const text = await response.text();
    if (response.status !== 200 || !accept(text)) {
      fail(`POST /v1/predict ${body}: ${response.status} ${text}, expected 200 with ${expected}`);
    }
    // The /docs UI comes from the copied swagger-ui-dist, and only from there.
    await expectStatus(base, '/docs/swagger-ui-bundle.js', 200);
    await expectStatus(base, '/docs/main.js', 404);
    const docs = await expectStatus(base, '/docs/json', 200);
    const exit = await stop(wrapper);

    const probed = (await readFile(probeFile, 'utf8')).trim().split('\n');
    // Nest's shutdown hooks end in exit 0 (useProcessExit) or in re-raising the signal.
    const graceful =
      exit.code === 0 || (exit.signal === 'SIGTERM' && probed.includes('reraised SIGTERM'));
    if (!graceful) {
      fail(`SIGTERM: ended with ${exit.code ?? exit.signal} before Nest's shutdown completed`);
    }
    const loaded = probed
      .filter((line) => line.startsWith('loaded '))
      .map((line) => line.slice('loaded '.length));
    if (!loaded.includes(path.join(sandbox, 'main.js'))) fail('the probe saw no main.js load');
    const modelDir = path.join(examples, model) + path.sep;
    const outside = loaded.filter(
      (file) => !file.startsWith(sandbox + path.sep) && !file.startsWith(modelDir),
    );
    if (outside.length > 0) fail(`loaded files from outside the image: ${outside.join(', ')}`);
    return { listeningMs, readyMs, docs, exit };
  });
}

// The same model on the normal build, which loads its packages from the repository.
async function startNormalApp(modelDir) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wrapper = startWrapper({ main: appMain, cwd: root, modelDir, port });
  return whileRunning(wrapper, async () => {
    const listeningMs = await waitForStatus(wrapper, `${base}/healthz`, 200);
    const readyMs = await waitForStatus(wrapper, `${base}/readyz`, 200);
    const docs = await expectStatus(base, '/docs/json', 200);
    const exit = await stop(wrapper);
    return { listeningMs, readyMs, docs, exit };
  });
}

// The openshift pod's two containers as two processes of the copy: the worker host (with no
// MLRUN_ setting but its socket) and the wrapper, whose workers it starts.
async function checkWorkerHost(sandbox, temp) {
  const socket = path.join(temp, 'workers.sock');
  const host = spawn(process.execPath, ['mlrun-worker-host.js'], {
    cwd: sandbox,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MLRUN_WORKER_SOCKET: socket },
    stdio: 'ignore',
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wrapper = startWrapper({
    main: 'main.js',
    cwd: sandbox,
    modelDir: path.join(examples, 'echo-node'),
    port,
    extraEnv: { MLRUN_WORKER_SOCKET: socket },
  });
  try {
    await whileRunning(wrapper, async () => {
      await waitForStatus(wrapper, `${base}/readyz`, 200);
      const response = await fetch(`${base}/v1/predict`, { method: 'POST', body: 'hello' });
      const text = await response.text();
      if (text !== 'echo: hello') fail(`worker host: POST /v1/predict answered ${text}`);
      const info = JSON.parse(await expectStatus(base, '/v1/model', 200));
      if (info.sandbox?.level !== 'container')
        fail(`worker host: /v1/model says sandbox level ${info.sandbox?.level}`);
      await stop(wrapper);
    });
  } finally {
    host.kill('SIGKILL');
  }
}

// The sandbox must really hide node_modules: the normal build cannot start in it.
async function checkSandboxHidesPackages(sandbox) {
  await cp(appMain, path.join(sandbox, 'main.js'));
  const wrapper = startWrapper({
    main: 'main.js',
    cwd: sandbox,
    modelDir: path.join(examples, 'echo-node'),
    port: await freePort(),
  });
  const timer = setTimeout(() => wrapper.child.kill('SIGKILL'), START_TIMEOUT_MS);
  const exit = await wrapper.exited;
  clearTimeout(timer);
  if (exit.code === 0 || !/Cannot find (module|package)/.test(wrapper.tail())) {
    fail(`dist/apps/model-wrapper/main.js started without node_modules: the sandbox leaks`);
  }
}

async function main() {
  const shipped = [
    'main.js',
    'mlrun_worker.py',
    'mlrun_worker.R',
    'mlrun-node-worker.js',
    'mlrun-worker-host.js',
  ];
  for (const file of shipped.map((name) => path.join(imageDir, name))) {
    if (!existsSync(file)) fail(`${path.relative(root, file)} is missing: run npm run build`);
  }
  if (!existsSync(appMain)) fail('dist/apps/model-wrapper/main.js is missing: run npm run build');
  const files = await readdir(imageDir, { recursive: true });
  const unwanted = files.filter((file) => file.endsWith('.node') || file.includes('node_modules'));
  if (unwanted.length > 0) fail(`dist/images/model-wrapper holds ${unwanted.join(', ')}`);

  const temp = await realpath(await mkdtemp(path.join(tmpdir(), 'mlrun-image-check-')));
  try {
    const sandbox = path.join(temp, 'image');
    const probe = path.join(temp, 'probe');
    const control = path.join(temp, 'control');
    for (const dir of [sandbox, probe, control]) {
      const above = nodeModulesAbove(dir);
      if (above.length > 0) fail(`node_modules found above ${dir}: in ${above.join(', ')}`);
    }
    await cp(imageDir, sandbox, { recursive: true });
    await mkdir(probe);
    await mkdir(control);
    await writeFile(path.join(probe, 'probe.cjs'), PROBE);
    if (process.env.NODE_PATH)
      process.stdout.write('NODE_PATH is set here; the wrapper gets none\n');

    const results = {};
    for (const testCase of cases) {
      const result = await checkCase(sandbox, probe, testCase);
      results[testCase.model] = result;
      process.stdout.write(
        `ok ${testCase.model}: ${timings(result)}, predict 200; SIGTERM: ${describeExit(result.exit)}\n`,
      );
    }

    const normal = await startNormalApp(path.join(examples, 'iris-python'));
    const image = results['iris-python'];
    if (describeExit(normal.exit) !== describeExit(image.exit)) {
      fail(`SIGTERM: dist/apps ${describeExit(normal.exit)}, image ${describeExit(image.exit)}`);
    }
    if (normal.docs !== image.docs) {
      fail('/docs/json differs between dist/images and dist/apps model-wrapper (lost metadata?)');
    }
    process.stdout.write(
      `ok iris-python on dist/apps/model-wrapper: same OpenAPI document; ${timings(normal)}\n`,
    );

    await checkWorkerHost(sandbox, temp);
    process.stdout.write(
      'ok echo-node with its workers started by the worker host: level container\n',
    );

    await checkSandboxHidesPackages(control);
    process.stdout.write(
      'ok dist/apps/model-wrapper/main.js fails in the sandbox: it hides packages\n',
    );
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

main().then(
  () => process.stdout.write('image bundle check passed\n'),
  (error) => {
    process.stderr.write(`image bundle check FAILED: ${error.message}\n`);
    if (!(error instanceof CheckError)) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
