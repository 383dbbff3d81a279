import type { ManagementOptions } from '@ml-run/user-directory';

/** Base URLs of the services the CLI talks to, without a trailing "/". */
export type ServiceUrls = { builder: string; router: string; auth: string };

/** Where progress is drawn (stderr): redrawn in place on a terminal, plain lines otherwise. */
export type StatusStream = { write(text: string): unknown; isTTY?: boolean };

/** Everything the commands need from the outside world; main.ts wires the real ones. */
export type CliDeps = {
  dataDir: string;
  usersFile?: string;
  urls: ServiceUrls;
  /** One line of the command's result (stdout). */
  out: (line: string) => void;
  status: StatusStream;
  /** A new password (users add|passwd): asked twice at a prompt. */
  readPassword: () => Promise<string>;
  /** The password to log in with: asked once at a prompt. */
  readLoginPassword: () => Promise<string>;
  /** The python interpreter for `ml-run test`. */
  python: string;
  /** Rscript for `ml-run test` of an R model; default 'Rscript'. */
  rscript?: string;
  /** All of stdin (`-f -`); absent where there is none to read. */
  readStdin?: () => Promise<string>;
  hashing?: ManagementOptions;
  now?: () => number;
};
