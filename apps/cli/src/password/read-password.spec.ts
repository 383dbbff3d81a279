import { Readable } from 'node:stream';

import { CliError } from '../cli.errors';
import { readNewPassword, readPassword } from './read-password';

const piped = (...chunks: string[]) => Readable.from(chunks);
const terminal = () => Object.assign(Readable.from([]), { isTTY: true });

describe(readNewPassword.name, () => {
  const neverPrompt = () => Promise.reject(new Error('must not prompt'));

  it('takes MLRUN_PASSWORD first', async () => {
    const sut = await readNewPassword({
      envPassword: 'from-the-env-123',
      stdin: piped('from-stdin-1234\n'),
      prompt: neverPrompt,
    });
    expect(sut).toBe('from-the-env-123');
  });

  it('reads the first line of a piped stdin', async () => {
    const sut = await readNewPassword({
      stdin: piped('from-stdin-', '1234\r\n', 'second line\n'),
      prompt: neverPrompt,
    });
    expect(sut).toBe('from-stdin-1234');
  });

  it('refuses an empty stdin', async () => {
    await expect(readNewPassword({ stdin: piped(''), prompt: neverPrompt })).rejects.toThrow(
      CliError,
    );
  });

  it('asks twice on a terminal and takes matching answers', async () => {
    const prompt = jest.fn().mockResolvedValue('typed-password-1');
    expect(await readNewPassword({ stdin: terminal(), prompt })).toBe('typed-password-1');
    expect(prompt).toHaveBeenCalledTimes(2);
  });

  it('refuses answers that differ', async () => {
    const prompt = jest
      .fn()
      .mockResolvedValueOnce('typed-password-1')
      .mockResolvedValueOnce('typed-password-2');
    await expect(readNewPassword({ stdin: terminal(), prompt })).rejects.toThrow(/differ/);
  });
});

describe(readPassword.name, () => {
  it('asks once on a terminal', async () => {
    const prompt = jest.fn().mockResolvedValue('typed-password-1');
    const sut = await readPassword({ stdin: terminal(), prompt });
    expect(sut).toBe('typed-password-1');
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('takes MLRUN_PASSWORD, then stdin, like a new password', async () => {
    const neverPrompt = () => Promise.reject(new Error('must not prompt'));
    expect(
      await readPassword({ envPassword: 'env-1', stdin: piped('x\n'), prompt: neverPrompt }),
    ).toBe('env-1');
    expect(await readPassword({ stdin: piped('piped-1\n'), prompt: neverPrompt })).toBe('piped-1');
  });
});
