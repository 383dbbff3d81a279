import { CliError } from '../cli.errors';

export type PasswordInputs = {
  /** MLRUN_PASSWORD, when set. */
  envPassword?: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Asks for a line without echoing it. */
  prompt: (question: string) => Promise<string>;
};

/** A password: MLRUN_PASSWORD, else the first line of stdin when it is piped, else a hidden prompt. */
export async function readPassword(inputs: PasswordInputs): Promise<string> {
  if (inputs.envPassword !== undefined) return inputs.envPassword;
  if (!inputs.stdin.isTTY) return firstLine(inputs.stdin);
  const password = await inputs.prompt('password: ');
  if (password === '') throw new CliError('no password given');
  return password;
}

/**
 * A new password: MLRUN_PASSWORD, else the first line of stdin when it is piped, else
 * typed twice at a hidden prompt.
 */
export async function readNewPassword(inputs: PasswordInputs): Promise<string> {
  if (inputs.envPassword !== undefined || !inputs.stdin.isTTY) return readPassword(inputs);
  const password = await inputs.prompt('new password: ');
  const repeated = await inputs.prompt('repeat password: ');
  if (password !== repeated) throw new CliError('the two passwords differ; nothing changed');
  return password;
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new CliError('no password on stdin; pipe one line or set MLRUN_PASSWORD');
  return line;
}
