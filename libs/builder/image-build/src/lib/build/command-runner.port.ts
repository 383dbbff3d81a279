/**
 * One external command of a build step (pip, npm), run as untrusted: output arrives line
 * by line, and the command sees only what the spec gives it.
 */
export type CommandSpec = {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment of the command (nothing of the builder's is added). */
  env: Readonly<Record<string, string>>;
  /** Paths the command reads (and must not change). */
  readOnly: readonly string[];
  /**
   * Folders the command writes into (they exist). Once `run` settles, they and what the
   * command left in them belong to the builder again.
   */
  writable: readonly string[];
  /** False: the command gets no network at all. */
  network: boolean;
  onLine: (line: string) => void;
  signal?: AbortSignal;
};

/**
 * Runs build commands away from the builder's own identity: as an unprivileged user (the
 * default runner), inside a sandbox, or a fake in tests.
 */
export interface CommandRunner {
  /** Resolves to the exit code (or -1 when killed); rejects when it cannot start. */
  run(spec: CommandSpec): Promise<number>;
}

export const COMMAND_RUNNER = Symbol('COMMAND_RUNNER');
