import {
  AbortRolloutDocument,
  ApproveRolloutDocument,
  EndpointDocument,
  PauseRolloutDocument,
  ResumeRolloutDocument,
  RolloutDetailDocument,
  RolloutsDocument,
  type FledgeClient,
  type RolloutControlInput,
  type RolloutSummaryFieldsFragment,
  type TypedDocumentString,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';
import { Command, Option } from 'commander';

import { required } from '../client/required.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderRollout, renderRolloutList } from '../render/rollout.renderer.js';
import { followRollout, withEvents } from '../watch/rollout-watch.output.js';
import { parsePositiveInt } from './args.util.js';
import { pollIntervalOption } from './deploy.command.js';
import { jsonOption } from './options.js';
import { collectPages } from './paginate.util.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A rollout id as given, or for an endpoint name its active rollout, else its newest one. */
async function rolloutIdOf(client: FledgeClient, idOrEndpoint: string): Promise<string> {
  if (UUID.test(idOrEndpoint)) return idOrEndpoint;
  const { endpoint } = await client.request(EndpointDocument, { name: idOrEndpoint, alarms: 1 });
  const active = required(endpoint, 'endpoint', idOrEndpoint).activeRollout;
  if (active) return active.id;
  const { rollouts } = await client.request(RolloutsDocument, { endpoint: idOrEndpoint, first: 1 });
  const [edge] = rollouts.edges;
  if (!edge) {
    throw new FledgeError('NOT_FOUND', `endpoint ${idOrEndpoint} has no rollouts`, { reason: 'ROLLOUT_NOT_FOUND' });
  }
  return edge.node.id;
}

type RolloutAction = 'abort' | 'pause' | 'resume' | 'approve';

type Signalled = RolloutSummaryFieldsFragment;
type SignalDocument = TypedDocumentString<Record<string, Signalled>, { input: RolloutControlInput }>;

/** Each signal's mutation answers the rollout it reached, under the mutation's own name. */
const signals: Record<RolloutAction, SignalDocument> = {
  abort: AbortRolloutDocument,
  pause: PauseRolloutDocument,
  resume: ResumeRolloutDocument,
  approve: ApproveRolloutDocument,
};

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
      const { rollout: found } = await client.request(RolloutDetailDocument, { id: await rolloutIdOf(client, ref) });
      const shown = await withEvents(client, found, opts.json);
      ctx.print(opts, shown, () => renderRollout(shown));
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
        async (page) => (await client.request(RolloutsDocument, { endpoint, ...page })).rollouts,
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
      const { rollout: found } = await client.request(RolloutDetailDocument, { id: await rolloutIdOf(client, ref) });
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
        const data = await client.request(signals[action], { input: { endpoint, reason: opts.reason } });
        const result = Object.values(data)[0];
        ctx.print(opts, result, () => `${done[action]} rollout ${result.id} on ${endpoint} (${result.state}).`);
      });
  }

  return rollout;
}
