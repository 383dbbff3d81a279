// npm start: embedded mode (auth-issuer + token-validator in one process) plus one
// model-wrapper serving an example model behind bearer-token authorization. Until the
// builder and router land, this launcher is what deploys the example.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = (process.env.MLRUN_DATA_DIR ?? '~/.ml-run').replace(/^~(?=$|\/)/, homedir());
const modelDir = process.env.MLRUN_MODEL_DIR ?? path.join(root, 'examples/iris-python');
const validatorPort = process.env.MLRUN_TOKEN_VALIDATOR_PORT ?? '8092';
const wrapperPort = process.env.MLRUN_PORT ?? '9000';

const children = [];
const start = (app, env) => {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', app, 'main.js')], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) stop(`${app} exited (${signal ?? code})`);
  });
  children.push(child);
};

let stopping = false;
function stop(reason) {
  stopping = true;
  process.stderr.write(`${reason}: stopping\n`);
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

async function waitReady(url) {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become ready`);
}

start('embedded', { MLRUN_DATA_DIR: dataDir });
await waitReady(`http://127.0.0.1:${validatorPort}/readyz`);
const serviceToken =
  process.env.MLRUN_SERVICE_TOKEN ??
  readFileSync(path.join(dataDir, 'service-token'), 'utf8').trim();
start('model-wrapper', {
  MLRUN_PORT: wrapperPort,
  MLRUN_MODEL_DIR: modelDir,
  MLRUN_SERVICE_TOKEN: serviceToken,
  MLRUN_VALIDATOR_URL: `http://127.0.0.1:${validatorPort}`,
});
await waitReady(`http://127.0.0.1:${wrapperPort}/readyz`);
process.stdout.write(
  `\nmodel ${path.basename(modelDir)} is serving on http://127.0.0.1:${wrapperPort}/v1/predict (bearer token required)\n` +
    `admin password: ${path.join(dataDir, 'admin-password')} (when it was generated)\n`,
);
