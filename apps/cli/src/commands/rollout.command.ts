import { FledgeError } from '@fledge/errors';
import { Command, Option } from 'commander';

import { type FledgeApiClient, type RolloutAction } from '../client/fledge-api.client.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderRollout, renderRolloutList } from '../render/rollout.renderer.js';
import { followRollout } from '../watch/rollout-watch.output.js';
import { parsePositiveInt } from './args.util.js';
import { pollIntervalOption } from './deploy.command.js';
import { jsonOption } from './options.js';
import { collectPages } from './paginate.util.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A rollout id as given, or for an endpoint name its active rollout, else its newest one. */
async function rolloutIdOf(client: FledgeApiClient, idOrEndpoint: string): Promise<string> {
  if (UUID.test(idOrEndpoint)) return idOrEndpoint;
  const endpoint = await client.endpoint(idOrEndpoint, 1);
  if (endpoint.activeRollout) return endpoint.activeRollout.id;
  const newest = await client.rollouts(idOrEndpoint, { first: 1 });
  const [edge] = newest.edges;
  if (!edge) {
    throw new FledgeError('NOT_FOUND', `endpoint ${idOrEndpoint} has no rollouts`, { reason: 'ROLLOUT_NOT_FOUND' });
  }
  return edge.node.id;
}

const controls: Record<RolloutAction, string> = {
  abort: 'Stop the active rollout: traffic back to the baseline first, then the candidate is removed.',
  pause: 'Hold traffic where it is and stop the bake clock (SLO checks, alarms and abort still act).',
  resume: 'Resume a paused rollout.',
  approve: 'Let a rollout that waits for approval go to full traffic.',
};

const done: Record<RolloutAction, string> = {
  abort: 'Abort sent to',
  pause: 'Paused',
  resume: 'Resumed',
  approve: 'Approved',
};

export function rolloutCommand(ctx: CliContext): Command {
  const rollout = new Command('rollout').description('Inspect, follow and steer rollouts.');

  rollout
    .command('show')
    .description('Show a rollout: state, live weights and every event with its evidence.')
    .argument('<rollout>', 'rollout id, or an endpoint name (its active or newest rollout)')
    .addOption(jsonOption())
    .action(async (ref: string, opts: OutputOptions) => {
      const client = await ctx.client();
      const found = await client.rollout(await rolloutIdOf(client, ref));
      ctx.print(opts, found, () => renderRollout(found));
    });

  rollout
    .command('list')
    .description("An endpoint's rollouts, newest first.")
    .argument('<endpoint>', 'endpoint name')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt).default(20).conflicts('all'))
    .option('--all', 'every rollout (follows pages)')
    .addOption(jsonOption())
    .action(async (endpoint: string, opts: OutputOptions & { limit: number; all?: boolean }) => {
      const client = await ctx.client();
      const { items, totalCount, hasMore } = await collectPages(
        (page) => client.rollouts(endpoint, page),
        opts.all ? Number.POSITIVE_INFINITY : opts.limit,
      );
      ctx.print(opts, { totalCount, hasMore, rollouts: items }, () => renderRolloutList(items, totalCount));
    });

  rollout
    .command('watch')
    .description(
      'Follow a rollout until it ends: one line per event, a live status line on a terminal. ' +
        'Exit 0 if it succeeds, 8 otherwise; Ctrl-C stops watching, not the rollout.',
    )
    .argument('<rollout>', 'rollout id, or an endpoint name (its active or newest rollout)')
    .addOption(pollIntervalOption())
    .addOption(jsonOption())
    .action(async (ref: string, opts: OutputOptions & { pollInterval: number }) => {
      const client = await ctx.client();
      const found = await client.rollout(await rolloutIdOf(client, ref));
      await followRollout(ctx, client, found, opts);
    });

  for (const action of Object.keys(controls) as RolloutAction[]) {
    rollout
      .command(action)
      .description(controls[action])
      .argument('<endpoint>', 'endpoint name')
      .option('--reason <text>', 'recorded with the signal')
      .addOption(jsonOption())
      .action(async (endpoint: string, opts: OutputOptions & { reason?: string }) => {
        const client = await ctx.client();
        const result = await client.controlRollout(action, { endpoint, reason: opts.reason });
        ctx.print(opts, result, () => `${done[action]} rollout ${result.id} on ${endpoint} (${result.state}).`);
      });
  }

  return rollout;
}
