import { killTreeNow } from './process-tree';

// Process groups of the peers still running. The peers run detached (their own group),
// so neither a Ctrl-C at the terminal nor the bench's own exit reaches them: this does.
const running = new Set<number>();
let installed = false;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killAll(): void {
  for (const group of running) killTreeNow(group);
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Alone on this signal, our listener replaced node's default (exit): restore it.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

/** Kills the group's processes when this process exits or is signalled, unless released. */
export function guardUntilStopped(group: number): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(group);
  return () => running.delete(group);
}
