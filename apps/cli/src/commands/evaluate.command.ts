import {
  EvaluateDocument,
  EvaluationDetailDocument,
  type EvaluationFieldsFragment as EvaluationDetail,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';
import { Command, Option } from 'commander';

import { type CliContext, type OutputOptions } from '../cli-context.js';
import { createEvaluationProgress } from '../render/evaluation-progress.js';
import { renderEvaluation } from '../render/evaluation.renderer.js';
import { parseExactVersionRef, parsePositiveInt, parseVersionRef, type VersionRef } from './args.util.js';
import { jsonOption } from './options.js';
import { resolveModelVersion } from './version-ref.util.js';

const done = (e: EvaluationDetail) => e.status === 'SUCCEEDED' || e.status === 'FAILED';

export function evaluateCommand(ctx: CliContext): Command {
  return new Command('evaluate')
    .description(
      'Grade a model version on a dataset version: shows progress, then the report (per-class metrics, confusion matrix). ' +
        'A succeeded or running evaluation of the same pair is reused.',
    )
    .argument('<model>', '<model>@<version> or <model>@<alias>', parseVersionRef)
    .argument('<dataset>', '<dataset>@<version>', parseExactVersionRef)
    .option('--no-wait', 'start (or find) the evaluation and return without waiting for it')
    .addOption(
      new Option('--poll-interval <ms>', 'how often to ask for progress').argParser(parsePositiveInt).default(500),
    )
    .addOption(jsonOption())
    .action(
      async (
        model: VersionRef,
        dataset: { name: string; version: number },
        opts: OutputOptions & { wait: boolean; pollInterval: number },
      ) => {
        const client = await ctx.client();
        const version = await resolveModelVersion(client, model);
        let { evaluate: evaluation } = await client.request(EvaluateDocument, {
          input: { model: model.name, version, dataset: dataset.name, datasetVersion: dataset.version },
        });
        if (opts.wait && !done(evaluation)) {
          const progress =
            opts.json || !ctx.streams.stderr.isTTY ? undefined : createEvaluationProgress(ctx.streams.stderr);
          try {
            progress?.update(evaluation);
            while (!done(evaluation)) {
              await new Promise((resolve) => setTimeout(resolve, opts.pollInterval));
              ({ evaluation } = await client.request(EvaluationDetailDocument, { id: evaluation.id }));
              progress?.update(evaluation);
            }
          } finally {
            progress?.stop();
          }
        }
        ctx.print(opts, evaluation, () => renderEvaluation(evaluation));
        if (evaluation.status === 'FAILED') {
          throw new FledgeError('INVALID_ARGUMENT', `the evaluation failed: ${evaluation.error ?? 'no reason given'}`, {
            reason: 'EVALUATION_FAILED',
          });
        }
      },
    );
}
