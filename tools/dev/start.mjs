// npm start: build, then embedded mode (router, builder, auth-issuer, token-validator in one
// process), then, as a newcomer would with the CLI, log in as admin and push
// examples/iris-python with two replicas. SIGINT or SIGTERM, to this process or to the
// `npm start` above it, stops everything: the control plane, its replicas and their workers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const dataDir = (env.MLRUN_DATA_DIR ?? '~/.ml-run').replace(/^~(?=$|\/)/, homedir());
const example = env.MLRUN_EXAMPLE ?? path.join(root, 'examples/iris-python');
const url = (port) => `http://127.0.0.1:${port}`;
const urls = {
  MLRUN_ROUTER_URL: url(env.MLRUN_ROUTER_PORT ?? 8080),
  MLRUN_URL: url(env.MLRUN_BUILDER_PORT ?? 8090),
  MLRUN_AUTH_URL: url(env.MLRUN_AUTH_ISSUER_PORT ?? 8091),
};
// The control plane stops its replicas itself; past this, its whole process group is killed.
const STOP_GRACE_MS = 8000;

const children = new Set();
let stopping = false;

// Each child leads its own process group, so a stop that outlives its grace can kill what
// it started (replicas, python workers) even if the child itself hangs.
function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', detached: true, ...options });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, exited };
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  const waiting = [...children].map(
    (child) => new Promise((resolve) => child.once('exit', resolve)),
  );
  for (const child of children) child.kill(signal);
  const killer = setTimeout(() => {
    for (const child of children) killGroup(child, 'SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(waiting);
  clearTimeout(killer);
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));

// `npm start` runs this under `sh -c`; a signal to npm ends that shell without reaching us,
// and we are re-parented. Seeing a new parent means whoever started us has gone.
function parentPid() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // no /proc: rely on signals alone
  }
}
const startedBy = parentPid();
if (startedBy !== undefined) {
  setInterval(() => {
    if (parentPid() !== startedBy) void stop('SIGTERM');
  }, 250).unref();
}

async function node(script, args = [], extraEnv) {
  if (stopping) return false;
  const options = extraEnv ? { env: { ...env, ...extraEnv } } : {};
  const { code } = await run(process.execPath, [path.join(root, script), ...args], options).exited;
  return code === 0;
}

async function waitReady(base) {
  for (let i = 0; i < 600 && !stopping; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  if (!stopping) throw new Error(`${base} did not become ready`);
}

const cli = (args, extraEnv = {}) =>
  node('dist/apps/cli/main.js', args, { ...urls, MLRUN_DATA_DIR: dataDir, ...extraEnv });

if (!(await node('tools/build/build-apps.mjs'))) {
  if (!stopping) process.exit(1);
} else {
  const embedded = run(process.execPath, [path.join(root, 'dist/apps/embedded/main.js')], {
    env: { ...env, MLRUN_DATA_DIR: dataDir },
  });
  void embedded.exited.then(({ code }) => {
    if (!stopping) process.exit(code ?? 1);
  });
  await deployExample();
}

async function deployExample() {
  await waitReady(urls.MLRUN_URL);
  await waitReady(urls.MLRUN_ROUTER_URL);
  if (stopping) return;
  const passwordFile = path.join(dataDir, 'admin-password');
  const password =
    env.MLRUN_ADMIN_PASSWORD ??
    (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : '');
  if (!password) {
    process.stdout.write(
      '\nno admin password to deploy the example with: set MLRUN_ADMIN_PASSWORD\n',
    );
    return;
  }
  if (
    (await cli(['login', '-u', 'admin'], { MLRUN_PASSWORD: password })) &&
    (await cli(['push', example, '--deploy', '--replicas', '2']))
  ) {
    const tokenFile = path.join(dataDir, 'cli-token.json');
    const lines = [
      '',
      'ready. try:',
      `  npx ml-run predict iris '{"features":[5.1,3.5,1.4,0.2]}'`,
      `  open ${urls.MLRUN_URL}/console and sign in as admin (password: MLRUN_ADMIN_PASSWORD, or ${passwordFile})`,
      `  TOKEN=$(node -p 'require("${tokenFile}").token')`,
      `  curl -s -XPOST ${urls.MLRUN_ROUTER_URL}/v1/models/iris/predict -H "authorization: Bearer $TOKEN" -d '{"features":[5.1,3.5,1.4,0.2]}'`,
      // The scrape credential is new on every start (embedded mode writes it there).
      `  curl -s ${urls.MLRUN_ROUTER_URL}/metrics -H "authorization: Bearer $(cat ${path.join(dataDir, 'metrics-token')})"`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
