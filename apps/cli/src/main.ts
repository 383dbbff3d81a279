import { ConfigError, loadConfig } from '@ml-run/config';
import { UserDirectoryError } from '@ml-run/user-directory';

import { cliConfigShape } from './cli.config';
import { CliError } from './cli.errors';
import { promptHidden } from './password/prompt-hidden';
import { readNewPassword } from './password/read-password';
import { createProgram } from './program';

async function main(): Promise<void> {
  const config = loadConfig(cliConfigShape);
  const program = createProgram({
    dataDir: config.MLRUN_DATA_DIR,
    usersFile: config.MLRUN_USERS_FILE,
    out: (line) => console.log(line),
    readPassword: () =>
      readNewPassword({
        envPassword: config.MLRUN_PASSWORD,
        stdin: process.stdin,
        prompt: promptHidden,
      }),
  });
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  // Mistakes the user can fix get one line; anything else its stack, to report.
  const expected =
    error instanceof CliError ||
    error instanceof UserDirectoryError ||
    error instanceof ConfigError;
  const text = error instanceof Error ? (expected ? error.message : error.stack) : String(error);
  console.error(`ml-run: ${text}`);
  process.exitCode = 1;
});
