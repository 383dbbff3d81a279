// One model worker started by the worker host in the model's container, seen from the
// wrapper as a ChildProcess: the same stdio array (a duplex stream per piped fd), pid,
// kill(), and 'spawn' / 'error' / 'exit' / 'close' events, so WorkerProcess and the pool
// treat it exactly as a local child. A closed connection is an exit (the host or the
// worker's container died, e.g. OOM-killed); the pool respawns as for any crash.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

import {
  encode,
  RelayDecoder,
  type FromHost,
  type RemoteSpawn,
  type ToHost,
} from './relay-messages';

export type RemoteWorkerOptions = {
  socketPath: string;
  /**
   * How long to keep trying while the host is not listening yet (its container starts
   * beside the wrapper's, or restarts after an OOM kill). Default 60 s.
   */
  connectTimeoutMs?: number;
  /** Called with the host's OOM-kill count at each worker exit. */
  onOomKills?: (count: number) => void;
};

const RETRY_MS = 250;
const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

export class RemoteWorker extends EventEmitter {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdio: (Duplex | null)[];
  private socket: Socket | undefined;
  private readonly decoder = new RelayDecoder();
  private readonly outbox: Buffer[] = [];
  private exited = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    request: RemoteSpawn,
    private readonly options: RemoteWorkerOptions,
  ) {
    super();
    this.stdio = request.stdio.map((kind, fd) => (kind === 'pipe' ? this.fdStream(fd) : null));
    this.send({ type: 'spawn', request });
    const deadline = Date.now() + (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    this.connect(deadline);
  }

  get stdin(): Duplex | null {
    return this.stdio[0] ?? null;
  }

  get stdout(): Duplex | null {
    return this.stdio[1] ?? null;
  }

  get stderr(): Duplex | null {
    return this.stdio[2] ?? null;
  }

  kill(signal: NodeJS.Signals | number = 'SIGTERM'): boolean {
    if (this.exited || this.closed) return false;
    const name = typeof signal === 'number' ? 'SIGKILL' : signal;
    if (this.pid === undefined) {
      // Not started yet (still connecting): give up; nothing runs on the other side.
      this.finish({ code: null, signal: name });
      return true;
    }
    this.send({ type: 'kill', signal: name });
    // SIGKILL must work even if the host does not answer: dropping the connection kills it.
    if (name === 'SIGKILL') this.socket?.end();
    return true;
  }

  private fdStream(fd: number): Duplex {
    const stream = new Duplex({
      read: () => undefined,
      write: (data: Buffer, _encoding, done) => {
        this.send({ type: 'fd', fd, data });
        done();
      },
      final: (done) => {
        this.send({ type: 'end', fd });
        done();
      },
    });
    return stream;
  }

  private send(message: ToHost): void {
    if (this.closed) return;
    const bytes = encode(message);
    if (this.socket && !this.socket.connecting) this.socket.write(bytes);
    else this.outbox.push(bytes);
  }

  private connect(deadline: number): void {
    const socket = connect(this.options.socketPath);
    this.socket = socket;
    socket.on('connect', () => {
      for (const bytes of this.outbox.splice(0)) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.pid !== undefined || this.closed) return;
      if (RETRYABLE.has(error.code ?? '') && Date.now() < deadline) {
        this.socket = undefined;
        socket.destroy();
        this.retryTimer = setTimeout(() => this.connect(deadline), RETRY_MS);
        return;
      }
      this.fail(new Error(`the worker host at ${this.options.socketPath}: ${error.message}`));
    });
    socket.on('close', () => {
      // A failed attempt (another follows) or a connection this worker already gave up.
      if (this.socket !== socket) return;
      if (this.pid === undefined) {
        if (!this.closed) this.fail(new Error('the worker host closed before the worker started'));
        return;
      }
      // No exit message: the host (or its container) died with the worker.
      this.finish({ code: null, signal: this.exited ? this.signalCode : 'SIGKILL' });
    });
  }

  private onData(chunk: Buffer): void {
    let messages: FromHost[];
    try {
      messages = this.decoder.push(chunk) as FromHost[];
    } catch (error) {
      this.socket?.destroy(error as Error);
      return;
    }
    for (const message of messages) {
      if (message.type === 'spawned') {
        this.pid = message.pid;
        this.emit('spawn');
      } else if (message.type === 'fd') {
        this.stdio[message.fd]?.push(message.data);
      } else if (message.type === 'exit') {
        this.options.onOomKills?.(message.oomKills);
        this.markExited(message.code, message.signal);
      } else if (message.type === 'failed') {
        this.fail(new Error(`spawn ${message.message}`));
      }
    }
  }

  private markExited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }

  // Spawn failed: 'error' with no pid, as spawn() does; WorkerProcess needs no 'exit'.
  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.endStreams();
    this.emit('error', error);
  }

  private finish(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.markExited(exit.code, exit.signal);
    this.endStreams();
    this.emit('close', this.exitCode, this.signalCode);
  }

  private endStreams(): void {
    for (const stream of this.stdio) stream?.push(null);
  }
}

/** Starts a RemoteWorker where a Launch wants a ChildProcess. */
export function remoteWorker(request: RemoteSpawn, options: RemoteWorkerOptions): ChildProcess {
  return new RemoteWorker(request, options) as unknown as ChildProcess;
}
