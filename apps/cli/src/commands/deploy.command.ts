import {
  DeployModelVersionDocument,
  PromoteDocument,
  type FledgeClient,
  type PromoteInput,
  type RolloutFieldsFragment as Rollout,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';
import { Command, Option } from 'commander';

import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderRollout } from '../render/rollout.renderer.js';
import { followRollout, withEvents } from '../watch/rollout-watch.output.js';
import {
  parseExactVersionRef,
  parseJsonObject,
  parsePositiveInt,
  parseVersionRef,
  type Json,
  type VersionRef,
} from './args.util.js';
import { jsonOption } from './options.js';
import {
  buildRolloutPolicy,
  parseCanarySteps,
  parseDuration,
  parseFraction,
  parseMilliseconds,
  parsePositiveDuration,
  parseSeconds,
  policyErrorInUserTerms,
  type PolicyFlags,
} from './rollout-policy.util.js';
import { resolveModelVersion } from './version-ref.util.js';

type StartOptions = OutputOptions & PolicyFlags & { watch?: boolean; pollInterval: number };

export const pollIntervalOption = () =>
  new Option('--poll-interval <ms>', 'how often --watch asks for news').argParser(parsePositiveInt).default(750);

function rolloutStartCommand(
  ctx: CliContext,
  name: 'deploy' | 'promote',
  description: string,
  start: (client: FledgeClient, input: PromoteInput) => Promise<Rollout>,
): Command {
  const command = new Command(name)
    .description(description)
    .argument('<endpoint>', 'endpoint name')
    .argument('<model>', '<model>@<version> or <model>@<alias>', parseVersionRef)
    .option(
      '--policy <json>',
      'rollout policy, inline JSON or @file.json (the flags below add to it and may not contradict it)',
      (v) => parseJsonObject(v),
    )
    .option('--gate-dataset <dataset>', 'offline gate dataset: <dataset>@<version>', parseExactVersionRef)
    .option('--min-accuracy <n>', 'gate: minimum accuracy of the candidate, 0..1', parseFraction);
  if (name === 'promote') {
    command
      .option('--max-accuracy-drop <n>', 'gate: largest accuracy drop versus the baseline, 0..1', parseFraction)
      .option(
        '--canary <steps>',
        'canary steps <weight>:<bake>,… (e.g. 5:120,25:120,50:2m), or weights alone with --bake (5,25,50)',
        parseCanarySteps,
      )
      .option(
        '--bake <duration>',
        'bake time of every stage not set otherwise: shadow, each canary step, the final bake (30s, 2m)',
        parseDuration,
      )
      .option('--no-shadow', 'skip the shadow stage')
      .option('--shadow-seconds <n>', 'shadow bake time in seconds', parseSeconds)
      .option(
        '--min-agreement <n>',
        'shadow: minimum share of mirrored requests the candidate agrees on, 0..1',
        parseFraction,
      )
      .option('--max-p99-ms <ms>', 'SLO: candidate p99 latency ceiling in milliseconds', parseMilliseconds)
      .option('--max-error-rate <n>', 'SLO: largest share of failed requests, 0..1', parseFraction)
      .option('--window <duration>', 'SLO: the window each check looks back over (60s, 2m)', parsePositiveDuration)
      .option('--check-interval <duration>', 'time between SLO checks (10s, 1m)', parsePositiveDuration)
      .option('--require-approval', 'wait for `fledge rollout approve` before full traffic');
  }
  return command
    .option('--watch', 'follow the rollout until it ends (exit 0 if it succeeds, 8 otherwise)')
    .addOption(pollIntervalOption())
    .addOption(jsonOption())
    .action(async (endpoint: string, model: VersionRef, opts: StartOptions) => {
      const client = await ctx.client();
      const version = await resolveModelVersion(client, model);
      const policy: Json | undefined = buildRolloutPolicy(opts);
      const rollout = await start(client, { endpoint, model: model.name, version, policy }).catch((error: unknown) => {
        throw FledgeError.is(error) ? policyErrorInUserTerms(error, opts) : error;
      });
      if (opts.watch) {
        await followRollout(ctx, client, rollout, opts);
        return;
      }
      const started = await withEvents(client, rollout, opts.json);
      ctx.print(opts, started, () =>
        [
          renderRollout(started),
          '',
          `Follow it: fledge rollout watch ${rollout.id}    Stop it: fledge rollout abort ${endpoint}`,
        ].join('\n'),
      );
    });
}

export function deployCommand(ctx: CliContext): Command {
  return rolloutStartCommand(
    ctx,
    'deploy',
    'Deploy the first version of an empty endpoint: offline gate, then 100% of traffic.',
    async (client, input) => (await client.request(DeployModelVersionDocument, { input })).deployModelVersion,
  );
}

export function promoteCommand(ctx: CliContext): Command {
  return rolloutStartCommand(
    ctx,
    'promote',
    'Replace the version an endpoint serves: offline gate → shadow → canary steps → full traffic, ' +
      'rolled back by itself on an SLO breach or an alarm.',
    async (client, input) => (await client.request(PromoteDocument, { input })).promote,
  );
}
