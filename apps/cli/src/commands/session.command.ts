import { rm } from 'node:fs/promises';
import path from 'node:path';

import { ViewerDocument } from '@fledge/client';
import { Secret } from '@fledge/config';
import { Command } from 'commander';

import { type CliContext, type OutputOptions } from '../cli-context.js';
import {
  CONFIG_FILE_NAME,
  normaliseApiUrl,
  readStoredCredentials,
  resolveApiTarget,
  writeStoredCredentials,
} from '../config/cli-config.js';
import { fields, lower } from '../render/format.util.js';
import { UsageError } from '../usage-error.js';
import { jsonOption } from './options.js';
import { readSecret } from './secret-input.js';

export function loginCommand(ctx: CliContext): Command {
  return new Command('login')
    .summary('Save the API URL and a key for later commands.')
    .description(
      'Check an API key against the API and save both for later commands. The key comes from --key, ' +
        'FLEDGE_API_KEY or standard input (prompted without echo on a terminal); prefer the last two: ' +
        'a --key value is visible to other users of this machine.',
    )
    .option('--api <url>', 'base URL of the Fledge API (default: FLEDGE_API_URL or the saved one)')
    .option('--key <key>', 'API key')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions & { api?: string; key?: string }) => {
      const stored = await readStoredCredentials(ctx.configDir).catch(() => null);
      const fromEnv = resolveApiTarget(ctx.env, null);
      const rawUrl = opts.api ?? fromEnv.url ?? stored?.api;
      if (rawUrl === undefined) throw new UsageError('which API? pass --api <url> (e.g. http://127.0.0.1:4000)');
      const url = normaliseApiUrl(rawUrl);
      const key =
        opts.key !== undefined
          ? new Secret(opts.key.trim())
          : (fromEnv.key ?? new Secret(await readSecret(ctx.streams, 'API key: ')));
      const { viewer } = await ctx.clientFor(url, key).request(ViewerDocument);
      const file = await writeStoredCredentials(ctx.configDir, { api: url, key: key.reveal() });
      ctx.print(
        opts,
        { api: url, name: viewer.name, role: viewer.role, configFile: file },
        () => `Logged in to ${url} as ${viewer.name} (${lower(viewer.role)}). Saved to ${file}.`,
      );
    });
}

export function logoutCommand(ctx: CliContext): Command {
  return new Command('logout')
    .description('Forget the saved API key.')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions) => {
      const file = path.join(ctx.configDir, CONFIG_FILE_NAME);
      await rm(file, { force: true });
      ctx.print(opts, { configFile: file, removed: true }, () => `Removed ${file}.`);
    });
}

export function whoamiCommand(ctx: CliContext): Command {
  return new Command('whoami')
    .description('Show which API and key the CLI uses (never the key itself).')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions) => {
      const client = await ctx.client();
      const { viewer } = await client.request(ViewerDocument);
      ctx.print(opts, { api: client.baseUrl, ...viewer }, () =>
        fields([
          ['API', client.baseUrl],
          ['Key name', viewer.name],
          ['Role', lower(viewer.role)],
        ]),
      );
    });
}
