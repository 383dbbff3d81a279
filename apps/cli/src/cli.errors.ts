import { ConfigError } from '@ml-run/config';
import { ContractError } from '@ml-run/model-contract';
import { TemplateError } from '@ml-run/openshift';
import { UserDirectoryError } from '@ml-run/user-directory';

/** A mistake the user can fix, or a failure already explained; printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The line main.ts prints for an error, and the exit code. */
export function describeFailure(error: unknown): { text: string; exitCode: number } {
  // Mistakes the user can fix get one line; anything else its stack, to report.
  const expected =
    error instanceof CliError ||
    error instanceof UserDirectoryError ||
    error instanceof ConfigError ||
    error instanceof ContractError ||
    error instanceof TemplateError;
  const text = error instanceof Error ? (expected ? error.message : error.stack) : String(error);
  return { text: `ml-run: ${text}`, exitCode: 1 };
}
