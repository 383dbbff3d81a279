// The worker host: runs in the model's container and starts one model worker per connection
// on its unix socket, as the wrapper asks (the same command, env and cwd it would spawn
// itself), relaying the worker's fds over the connection. It holds no platform secret: the
// wrapper, in its own container, keeps the credential out of the model's reach.
// A worker's exit ends its connection; a closed connection kills its worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

import {
  encode,
  RelayDecoder,
  type FromHost,
  type RemoteSpawn,
  type ToHost,
} from './relay-messages';

export type WorkerHostLogger = {
  log: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
};

export type WorkerHostOptions = {
  socketPath: string;
  logger?: WorkerHostLogger;
  /** The model container's OOM kills so far (its cgroup); default: read memory.events. */
  oomKills?: () => Promise<number>;
};

export type WorkerHost = {
  /** Workers running now. */
  workers(): number;
  /** Stops accepting; kills the running workers when `killWorkers`. */
  close(options?: { killWorkers?: boolean }): Promise<void>;
  /** Resolves once the host is closed and every connection has ended. */
  drained(): Promise<void>;
};

const silent: WorkerHostLogger = { log: () => undefined, warn: () => undefined };

export async function startWorkerHost(options: WorkerHostOptions): Promise<WorkerHost> {
  const logger = options.logger ?? silent;
  const oomKills = options.oomKills ?? cgroupOomKills;
  const connections = new Set<Socket>();
  const children = new Set<ChildProcess>();
  // A socket left by a previous run of this container would refuse the listen.
  await rm(options.socketPath, { force: true });
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, { logger, oomKills, children });
  });
  server.listen(options.socketPath);
  await once(server, 'listening');
  logger.log({ socket: options.socketPath }, 'worker host listening');
  let closed: Promise<void> | undefined;
  const drained = async (): Promise<void> => {
    await closed;
    while (connections.size > 0) await once([...connections][0], 'close');
  };
  return {
    workers: () => children.size,
    close: ({ killWorkers = false } = {}) => {
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      if (killWorkers) for (const child of children) child.kill('SIGKILL');
      return closed;
    },
    drained,
  };
}

type ConnectionContext = {
  logger: WorkerHostLogger;
  oomKills: () => Promise<number>;
  children: Set<ChildProcess>;
};

function serveConnection(socket: Socket, context: ConnectionContext): void {
  const decoder = new RelayDecoder();
  let child: ChildProcess | undefined;
  let exited = false;
  const send = (message: FromHost): void => {
    if (!socket.destroyed) socket.write(encode(message));
  };
  socket.on('error', () => undefined);
  socket.on('close', () => {
    // The wrapper stopped the worker, or died: nothing may keep running for nobody.
    if (child && !exited) child.kill('SIGKILL');
  });
  socket.on('data', (chunk: Buffer) => {
    let messages: ToHost[];
    try {
      messages = decoder.push(chunk) as ToHost[];
    } catch (error) {
      context.logger.warn({ error: (error as Error).message }, 'worker relay broke its protocol');
      socket.destroy();
      return;
    }
    for (const message of messages) {
      if (message.type === 'spawn') {
        if (child) return void socket.destroy();
        child = start(message.request, socket, send, context, () => (exited = true));
      } else if (!child) {
        return void socket.destroy();
      } else if (message.type === 'fd') {
        writableAt(child, message.fd)?.write(message.data);
      } else if (message.type === 'end') {
        writableAt(child, message.fd)?.end();
      } else if (message.type === 'kill') {
        if (!exited) child.kill(message.signal);
      }
    }
  });
}

function start(
  request: RemoteSpawn,
  socket: Socket,
  send: (message: FromHost) => void,
  context: ConnectionContext,
  onExit: () => void,
): ChildProcess {
  const child = spawn(request.command, request.args, {
    env: request.env,
    cwd: request.cwd,
    stdio: request.stdio,
  });
  context.children.add(child);
  child.on('spawn', () => {
    send({ type: 'spawned', pid: child.pid as number });
    context.logger.log({ workerPid: child.pid }, 'worker started');
  });
  relayOutput(child, send);
  child.on('error', (error) => {
    if (child.pid === undefined) {
      send({ type: 'failed', message: error.message });
      context.children.delete(child);
      socket.end();
    }
  });
  child.on('exit', (code, signal) => {
    onExit();
    context.logger.log({ workerPid: child.pid, code, signal }, 'worker exited');
  });
  // 'close': the worker exited and its output is drained; the exit goes last.
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    context.children.delete(child);
    if (child.pid !== undefined) void reportExit({ code, signal }, socket, send, context);
  });
  return child;
}

async function reportExit(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  socket: Socket,
  send: (message: FromHost) => void,
  context: ConnectionContext,
): Promise<void> {
  const oomKills = await context.oomKills().catch(() => 0);
  send({ type: 'exit', ...exit, oomKills });
  socket.end();
}

// Every piped fd of the worker, to the wrapper as it comes (frames and log alike).
function relayOutput(child: ChildProcess, send: (message: FromHost) => void): void {
  child.stdio.forEach((stream, fd) => {
    if (!stream) return;
    stream.on('error', () => undefined);
    (stream as Readable).on('data', (data: Buffer) => send({ type: 'fd', fd, data }));
  });
}

function writableAt(child: ChildProcess, fd: number): Writable | undefined {
  const stream = child.stdio[fd] as Writable | null | undefined;
  return stream ?? undefined;
}

/** The kernel's count of OOM kills in this container's cgroup (v2, then v1); 0 if unknown. */
async function cgroupOomKills(): Promise<number> {
  for (const file of ['/sys/fs/cgroup/memory.events', '/sys/fs/cgroup/memory/memory.oom_control']) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const match = text && /^oom_kill (\d+)$/m.exec(text);
    if (match) return Number(match[1]);
  }
  return 0;
}
