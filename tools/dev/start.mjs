// npm start: embedded mode (router, builder, auth-issuer, token-validator in one process),
// then, as a newcomer would with the CLI, log in as admin and push examples/iris-python
// with two replicas. Ctrl-C stops everything, replicas included.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
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

const embedded = spawn(process.execPath, [path.join(root, 'dist/apps/embedded/main.js')], {
  env: { ...env, MLRUN_DATA_DIR: dataDir },
  stdio: 'inherit',
});
embedded.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => embedded.kill(signal));

async function waitReady(base) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} did not become ready`);
}

function cli(args, extraEnv = {}) {
  const run = spawnSync(process.execPath, [path.join(root, 'dist/apps/cli/main.js'), ...args], {
    env: { ...env, ...urls, MLRUN_DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return run.status === 0;
}

await waitReady(urls.MLRUN_URL);
await waitReady(urls.MLRUN_ROUTER_URL);
const passwordFile = path.join(dataDir, 'admin-password');
const password =
  env.MLRUN_ADMIN_PASSWORD ??
  (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : '');
if (!password) {
  process.stdout.write(
    '\nno admin password to deploy the example with: set MLRUN_ADMIN_PASSWORD\n',
  );
} else if (
  cli(['login', '-u', 'admin'], { MLRUN_PASSWORD: password }) &&
  cli(['push', example, '--deploy', '--replicas', '2'])
) {
  const tokenFile = path.join(dataDir, 'cli-token.json');
  const lines = [
    '',
    'ready. try:',
    `  npx ml-run predict iris '{"features":[5.1,3.5,1.4,0.2]}'`,
    `  TOKEN=$(node -p 'require("${tokenFile}").token')`,
    `  curl -s -XPOST ${urls.MLRUN_ROUTER_URL}/v1/models/iris/predict -H "authorization: Bearer $TOKEN" -d '{"features":[5.1,3.5,1.4,0.2]}'`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
