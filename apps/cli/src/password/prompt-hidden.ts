import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

import { CliError } from '../cli.errors';

/** Reads one line from the terminal without echoing it (the question goes to stderr). */
export function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  // The terminal echoes through readline's output; a sink keeps the typing invisible.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve, reject) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new CliError('cancelled'));
    });
  });
}
