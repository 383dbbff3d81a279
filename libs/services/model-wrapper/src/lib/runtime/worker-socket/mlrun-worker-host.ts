// The program of the pod's model container (the openshift target): the worker host on
// MLRUN_WORKER_SOCKET. Bundled self-contained next to the wrapper's main.js as
// mlrun-worker-host.js (tools/build/build-apps.mjs), in the same image.
// SIGTERM stops accepting and exits once the wrapper has closed every worker's connection
// (it drains its requests first); the kubelet's SIGKILL bounds the wait.
import { startWorkerHost, type WorkerHostLogger } from './worker-host';

const logger: WorkerHostLogger = {
  log: (fields, msg) => write('info', fields, msg),
  warn: (fields, msg) => write('warn', fields, msg),
};

function write(level: string, fields: object, msg: string): void {
  const line = { level, time: new Date().toISOString(), service: 'worker-host', ...fields, msg };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const socketPath = process.env['MLRUN_WORKER_SOCKET'];
  if (!socketPath) {
    process.stderr.write(
      'MLRUN_WORKER_SOCKET is not set: give the path of the socket to listen on\n',
    );
    process.exit(2);
  }
  const host = await startWorkerHost({ socketPath, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ signal, workers: host.workers() }, 'worker host stopping');
      void host
        .close()
        .then(() => host.drained())
        .then(() => process.exit(0));
    });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`worker host failed: ${error.message}\n`);
  process.exit(1);
});
