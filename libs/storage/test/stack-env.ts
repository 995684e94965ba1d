// Where the stack's S3-compatible server is: from the environment when `.stack/stack.env` was
// sourced, else read from that file. Integration tests fail loudly without it: never skipped.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const stackEnvFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.stack/stack.env');

function stackFileVars(): Record<string, string> {
  if (!existsSync(stackEnvFile)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(stackEnvFile, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(?:'([^']*)'|"([^"]*)"|(\S*))\s*$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return vars;
}

export interface StackS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function stackS3(): StackS3 {
  const fromFile = stackFileVars();
  const read = (name: string) => process.env[name] ?? fromFile[name];
  const endpoint = read('FLEDGE_STACK_S3_ENDPOINT');
  if (!endpoint)
    throw new Error('FLEDGE_STACK_S3_ENDPOINT is not set: run `bash scripts/stack up` and source .stack/stack.env');
  return {
    endpoint,
    region: read('AWS_REGION') ?? 'us-east-1',
    accessKeyId: read('AWS_ACCESS_KEY_ID') ?? 'test',
    secretAccessKey: read('AWS_SECRET_ACCESS_KEY') ?? 'test',
  };
}
