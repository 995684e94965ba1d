import { CreateEndpointDocument, EndpointDocument, EndpointsPageDocument, type EndpointBackend } from '@fledge/client';
import { Command, Option } from 'commander';

import { required } from '../client/required.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderEndpoint, renderEndpointList } from '../render/endpoint.renderer.js';
import { parseJsonObject, parsePositiveInt, type Json } from './args.util.js';
import { apiEnum, BACKEND_CHOICES, jsonOption } from './options.js';
import { collectPages } from './paginate.util.js';

export function endpointCommand(ctx: CliContext): Command {
  const endpoint = new Command('endpoint').description('Create, list and inspect serving endpoints.');

  endpoint
    .command('create')
    .description('Create an empty endpoint (then: fledge deploy <endpoint> <model>@<version>).')
    .argument('<name>', 'unique name: lower-case letters, digits, dashes')
    .addOption(new Option('--backend <backend>', 'where it is hosted').choices(BACKEND_CHOICES).default('local'))
    .option(
      '--options <json>',
      'backend options, inline JSON or @file.json (local: {"batching":{"maxBatchSize":32}})',
      (v) => parseJsonObject(v),
    )
    .option('--description <text>', 'free text')
    .addOption(jsonOption())
    .action(
      async (
        name: string,
        opts: OutputOptions & { backend: Lowercase<EndpointBackend>; options?: Json; description?: string },
      ) => {
        const client = await ctx.client();
        const { createEndpoint: created } = await client.request(CreateEndpointDocument, {
          input: {
            name,
            backend: apiEnum<EndpointBackend>(opts.backend),
            options: opts.options,
            description: opts.description,
          },
        });
        ctx.print(opts, created, () => `Created endpoint ${created.name} (${opts.backend}).`);
      },
    );

  endpoint
    .command('list')
    .description('List endpoints with their variants and weights, by name.')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt).default(20).conflicts('all'))
    .option('--all', 'every endpoint (follows pages)')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions & { limit: number; all?: boolean }) => {
      const client = await ctx.client();
      const { items, totalCount, hasMore } = await collectPages(
        async (page) => (await client.request(EndpointsPageDocument, page)).endpoints,
        opts.all ? Number.POSITIVE_INFINITY : opts.limit,
      );
      ctx.print(opts, { totalCount, hasMore, endpoints: items }, () => renderEndpointList(items, totalCount));
    });

  endpoint
    .command('show')
    .description('Show an endpoint: variants and weights, inference URL, active rollout, recent alarms.')
    .argument('<name>', 'endpoint name')
    .addOption(new Option('--alarms <n>', 'how many recent alarms').argParser(parsePositiveInt).default(10))
    .addOption(jsonOption())
    .action(async (name: string, opts: OutputOptions & { alarms: number }) => {
      const client = await ctx.client();
      const { endpoint } = await client.request(EndpointDocument, { name, alarms: opts.alarms });
      const found = required(endpoint, 'endpoint', name);
      ctx.print(opts, found, () => renderEndpoint(found));
    });

  return endpoint;
}
