import { loadConfig } from '@ml-run/config';

import { cliConfigShape } from './cli.config';
import { describeFailure } from './cli.errors';
import { promptHidden } from './password/prompt-hidden';
import { readNewPassword, readPassword, type PasswordInputs } from './password/read-password';
import { createProgram } from './program';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

async function main(): Promise<void> {
  const config = loadConfig(cliConfigShape);
  const passwords: PasswordInputs = {
    envPassword: config.MLRUN_PASSWORD,
    stdin: process.stdin,
    prompt: promptHidden,
  };
  const program = createProgram({
    dataDir: config.MLRUN_DATA_DIR,
    usersFile: config.MLRUN_USERS_FILE,
    urls: {
      builder: withoutSlash(config.MLRUN_URL),
      router: withoutSlash(config.MLRUN_ROUTER_URL),
      auth: withoutSlash(config.MLRUN_AUTH_URL),
    },
    out: (line) => console.log(line),
    status: process.stderr,
    readPassword: () => readNewPassword(passwords),
    readLoginPassword: () => readPassword(passwords),
    python: config.MLRUN_PYTHON,
    rscript: config.MLRUN_RSCRIPT,
    readStdin: () => readAll(process.stdin),
  });
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  const { text, exitCode } = describeFailure(error);
  console.error(text);
  process.exitCode = exitCode;
});
