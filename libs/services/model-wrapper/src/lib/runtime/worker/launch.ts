// The one place a model worker process is started. Everything that runs model code goes
// through a Launch, so a sandbox (another uid, namespaces, limits) can wrap this single call
// for every runtime.
import { spawn, type ChildProcess } from 'node:child_process';

export type LaunchRequest = {
  command: string;
  args: readonly string[];
  /** The whole environment of the child: nothing of the wrapper's is added. */
  env: Readonly<Record<string, string>>;
  cwd: string;
  /**
   * One pipe per fd, from fd 0: 3 for python (frames on 0/1, log on 2), 4 for node (log on
   * 1/2, frames both ways on fd 3), 5 for R (log on 1/2, requests on fd 3, replies on fd 4).
   * A wrapper must hand the child every one of them.
   */
  stdio: readonly ('pipe' | 'ignore')[];
};

/** Starts the child; spawn failures arrive as its 'error' event, as with spawn(). */
export type Launch = (request: LaunchRequest) => ChildProcess;

export const spawnLaunch: Launch = ({ command, args, env, cwd, stdio }) =>
  spawn(command, args, { env, cwd, stdio: [...stdio] });
