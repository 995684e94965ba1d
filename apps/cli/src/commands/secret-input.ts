import { type CliStreams } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

/** Reads a key from a pipe (`echo $KEY | fledge login ...`): the whole input, trimmed. */
async function readPiped(stdin: CliStreams['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Prompts on a terminal without echoing what is typed. */
function readHidden(stdin: CliStreams['stdin'], stderr: CliStreams['stderr'], prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    stderr.write(prompt);
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onData = (data: Buffer | string) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

export async function readSecret(streams: CliStreams, prompt: string): Promise<string> {
  const secret = streams.stdin.isTTY
    ? await readHidden(streams.stdin, streams.stderr, prompt)
    : await readPiped(streams.stdin);
  if (secret === '') throw new UsageError('no API key given (use --key, FLEDGE_API_KEY or standard input)');
  return secret;
}
