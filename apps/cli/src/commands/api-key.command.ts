import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument, type Role } from '@fledge/client';
import { Command, Option } from 'commander';

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
      const { createApiKey: created } = await client.request(CreateApiKeyDocument, {
        input: { name, role: apiEnum<Role>(opts.role) },
      });
      ctx.print(opts, created, () => renderCreatedApiKey(created));
    });

  apikey
    .command('list')
    .description('List keys (never their secrets).')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions) => {
      const client = await ctx.client();
      const { apiKeys: keys } = await client.request(ApiKeysDocument);
      ctx.print(opts, keys, () => renderApiKeys(keys));
    });

  apikey
    .command('revoke')
    .description('Revoke a key at once.')
    .argument('<id>', 'key id (see apikey list)')
    .addOption(jsonOption())
    .action(async (id: string, opts: OutputOptions) => {
      const client = await ctx.client();
      const { revokeApiKey: revoked } = await client.request(RevokeApiKeyDocument, { id });
      ctx.print(opts, revoked, () => `Revoked key ${revoked.name} (${revoked.id}).`);
    });

  return apikey;
}
