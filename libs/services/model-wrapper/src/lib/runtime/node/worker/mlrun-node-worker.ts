// Entry of mlrun-node-worker.js, the node model worker: the wrapper starts one process per
// worker (node mlrun-node-worker.js) and speaks the frame protocol with it on fd 3. Built by
// tools/build/build-apps.mjs next to the wrapper's main.js, self-contained (no node_modules).
//
// Frames are on fd 3, not stdout: a model's console.log, process.stdout.write and children
// that inherit stdout land in the log the wrapper reads from fds 1 and 2.
import { Socket } from 'node:net';

import { NodeWorker } from './node-worker';
import { serveFrames } from './serve-frames';

const FRAMES_FD = 3;

// Ctrl-C in a terminal reaches the whole process group: stopping workers is the wrapper's call.
process.on('SIGINT', () => undefined);

const worker = new NodeWorker();
const channel = new Socket({ fd: FRAMES_FD, readable: true, writable: true });

serveFrames(channel, worker, (code, reason) => {
  if (reason) process.stderr.write(`mlrun-node-worker: ${reason}\n`);
  worker.close();
  process.exit(code);
});
