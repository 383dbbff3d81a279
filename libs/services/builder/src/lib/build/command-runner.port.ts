/** One external command of a build step (pip, npm); output arrives line by line. */
export type CommandSpec = {
  command: string;
  args: readonly string[];
  cwd: string;
  onLine: (line: string) => void;
  signal?: AbortSignal;
};

/** Runs build commands: child processes for real, a fake in tests. */
export interface CommandRunner {
  /** Resolves to the exit code (or -1 when killed); rejects when it cannot start. */
  run(spec: CommandSpec): Promise<number>;
}

export const COMMAND_RUNNER = Symbol('COMMAND_RUNNER');
