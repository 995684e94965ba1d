import { Command, Option } from 'commander';

import { type Role } from '../client/api.types.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderApiKeys, renderCreatedApiKey } from '../render/api-key.renderer.js';
import { apiEnum, jsonOption, ROLE_CHOICES } from './options.js';

export function apiKeyCommand(ctx: CliContext): Command {
  const apikey = new Command('apikey').description('Manage API keys (admin role).');

  apikey
    .command('create')
    .description('Create a key; its secret is printed once and never again.')
    .argument('<name>', 'who or what uses it, e.g. ci-pipeline')
    .addOption(new Option('--role <role>', 'what it may do').choices(ROLE_CHOICES).makeOptionMandatory())
    .addOption(jsonOption())
    .action(async (name: string, opts: OutputOptions & { role: Lowercase<Role> }) => {
      const client = await ctx.client();
      const created = await client.createApiKey({ name, role: apiEnum<Role>(opts.role) });
      ctx.print(opts, created, () => renderCreatedApiKey(created));
    });

  apikey
    .command('list')
    .description('List keys (never their secrets).')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions) => {
      const client = await ctx.client();
      const keys = await client.apiKeys();
      ctx.print(opts, keys, () => renderApiKeys(keys));
    });

  apikey
    .command('revoke')
    .description('Revoke a key at once.')
    .argument('<id>', 'key id (see apikey list)')
    .addOption(jsonOption())
    .action(async (id: string, opts: OutputOptions) => {
      const client = await ctx.client();
      const revoked = await client.revokeApiKey(id);
      ctx.print(opts, revoked, () => `Revoked key ${revoked.name} (${revoked.id}).`);
    });

  return apikey;
}
