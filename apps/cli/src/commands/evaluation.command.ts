import {
  CompareEvaluationsDocument,
  EvaluationDetailDocument,
  ModelVersionEvaluationsDocument,
  type EvaluationFieldsFragment as EvaluationDetail,
  type FledgeClient,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';
import { Command, InvalidArgumentError } from 'commander';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderComparison } from '../render/evaluation.renderer.js';
import { parseExactVersionRef, parseVersionRef, type VersionRef } from './args.util.js';
import { jsonOption } from './options.js';
import { resolveModelVersion } from './version-ref.util.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An evaluation by id, or the evaluation of a model version (`<model>@<version|alias>`). */
export type EvaluationRef = { id: string } | { model: VersionRef };

export function parseEvaluationRef(raw: string): EvaluationRef & { raw: string } {
  if (UUID.test(raw)) return { raw, id: raw.toLowerCase() };
  try {
    return { raw, model: parseVersionRef(raw) };
  } catch {
    throw new InvalidArgumentError(`"${raw}" is neither an evaluation id nor <model>@<version>.`);
  }
}

/** One side of a comparison: an evaluation named by id, or a model version's succeeded ones. */
export type Side =
  | { kind: 'evaluation'; label: string; evaluation: EvaluationDetail }
  | { kind: 'version'; label: string; evaluations: EvaluationDetail[] };

export interface PairOptions {
  /** `<dataset>@<version>`: compare the evaluations on this dataset version. */
  dataset?: string;
  allowDifferentDatasets: boolean;
}

export const datasetOf = (e: EvaluationDetail) => `${e.datasetVersion.dataset.name}@${e.datasetVersion.version}`;
const evaluateHint = (label: string, dataset: string) => `fledge evaluate ${label} ${dataset}`;

/**
 * Picks the two evaluations to compare. A model version side takes its newest succeeded
 * evaluation on the dataset version the other side was graded on (or on --dataset); two model
 * versions take the newest dataset version both were graded on. Metrics of different data do not
 * compare, so a pair on different dataset versions is refused unless allowed.
 */
export function pickPair(a: Side, b: Side, options: PairOptions): [EvaluationDetail, EvaluationDetail] {
  const succeeded = (side: Side & { kind: 'version' }) => {
    const done = side.evaluations.filter((e) => e.status === 'SUCCEEDED');
    if (done.length === 0) {
      throw new FledgeError(
        'NOT_FOUND',
        `${side.label} has no succeeded evaluation: grade it first (${evaluateHint(side.label, '<dataset>@<version>')})`,
        { reason: 'EVALUATION_NOT_FOUND' },
      );
    }
    return done;
  };
  const onDataset = (side: Side & { kind: 'version' }, dataset: string): EvaluationDetail => {
    const found = succeeded(side).find((e) => datasetOf(e) === dataset);
    if (found) return found;
    if (options.allowDifferentDatasets && options.dataset === undefined) return succeeded(side)[0];
    throw new FledgeError(
      'NOT_FOUND',
      `${side.label} has no succeeded evaluation on ${dataset}: grade it first (${evaluateHint(side.label, dataset)})` +
        (options.dataset === undefined ? ', or pass --allow-different-datasets' : ''),
      { reason: 'EVALUATION_NOT_FOUND', details: { dataset } },
    );
  };

  let pair: [EvaluationDetail, EvaluationDetail];
  if (a.kind === 'evaluation' && b.kind === 'evaluation') {
    pair = [a.evaluation, b.evaluation];
  } else if (a.kind === 'evaluation' && b.kind === 'version') {
    pair = [a.evaluation, onDataset(b, options.dataset ?? datasetOf(a.evaluation))];
  } else if (a.kind === 'version' && b.kind === 'evaluation') {
    pair = [onDataset(a, options.dataset ?? datasetOf(b.evaluation)), b.evaluation];
  } else {
    const [sa, sb] = [a, b] as [Side & { kind: 'version' }, Side & { kind: 'version' }];
    if (options.dataset !== undefined) {
      pair = [onDataset(sa, options.dataset), onDataset(sb, options.dataset)];
    } else {
      const inB = new Set(succeeded(sb).map(datasetOf));
      const common = succeeded(sa).find((e) => inB.has(datasetOf(e)));
      if (common) {
        pair = [common, onDataset(sb, datasetOf(common))];
      } else if (options.allowDifferentDatasets) {
        pair = [succeeded(sa)[0], succeeded(sb)[0]];
      } else {
        const list = (side: Side & { kind: 'version' }) => [...new Set(succeeded(side).map(datasetOf))].join(', ');
        throw new FledgeError(
          'FAILED_PRECONDITION',
          `${sa.label} and ${sb.label} were never graded on the same dataset version (${sa.label}: ${list(sa)}; ` +
            `${sb.label}: ${list(sb)}): grade both on one, or pass --allow-different-datasets`,
          { reason: 'DATASETS_DIFFER' },
        );
      }
    }
  }
  const [ea, eb] = pair;
  if (datasetOf(ea) !== datasetOf(eb) && !options.allowDifferentDatasets) {
    throw new FledgeError(
      'FAILED_PRECONDITION',
      `${a.label} was graded on ${datasetOf(ea)} and ${b.label} on ${datasetOf(eb)}: metrics on different data ` +
        'do not compare; pass --allow-different-datasets to compare them anyway',
      { reason: 'DATASETS_DIFFER', details: { a: datasetOf(ea), b: datasetOf(eb) } },
    );
  }
  return pair;
}

async function sideOf(client: FledgeClient, ref: EvaluationRef & { raw: string }): Promise<Side> {
  if ('id' in ref) {
    const { evaluation } = await client.request(EvaluationDetailDocument, { id: ref.id });
    return { kind: 'evaluation', label: `evaluation ${ref.id}`, evaluation };
  }
  const version = await resolveModelVersion(client, ref.model);
  const { modelVersion } = await client.request(ModelVersionEvaluationsDocument, { model: ref.model.name, version });
  return {
    kind: 'version',
    label: ref.model.version !== undefined || ref.model.alias !== undefined ? ref.raw : `${ref.model.name}@${version}`,
    evaluations: modelVersion.evaluations,
  };
}

type CompareOptions = OutputOptions & {
  dataset?: { name: string; version: number };
  allowDifferentDatasets?: boolean;
  force?: boolean;
};

export function evaluationCommand(ctx: CliContext): Command {
  const evaluation = new Command('evaluation').description('Inspect and compare evaluations.');

  evaluation
    .command('compare')
    .description(
      'Compare two evaluations metric by metric and class by class (deltas are b − a). Each side is an evaluation id, ' +
        'or <model>@<version>: its evaluation on the dataset version the other side was graded on ' +
        '(for two versions: the newest dataset version both were graded on).',
    )
    .argument('<a>', 'evaluation id or <model>@<version> (the reference)', parseEvaluationRef)
    .argument('<b>', 'evaluation id or <model>@<version> (compared with a)', parseEvaluationRef)
    .option(
      '--dataset <dataset>',
      'compare the evaluations on this dataset version: <dataset>@<version>',
      parseExactVersionRef,
    )
    .option('--allow-different-datasets', 'compare evaluations graded on different dataset versions')
    .option('--force', 'the same as --allow-different-datasets')
    .addOption(jsonOption())
    .action(
      async (
        refA: ReturnType<typeof parseEvaluationRef>,
        refB: ReturnType<typeof parseEvaluationRef>,
        opts: CompareOptions,
      ) => {
        const client = await ctx.client();
        const [a, b] = [await sideOf(client, refA), await sideOf(client, refB)];
        const allowDifferentDatasets = Boolean(opts.allowDifferentDatasets || opts.force);
        const [ea, eb] = pickPair(a, b, {
          dataset: opts.dataset && `${opts.dataset.name}@${opts.dataset.version}`,
          allowDifferentDatasets,
        });
        const { compareEvaluations: comparison } = await client.request(CompareEvaluationsDocument, {
          a: ea.id,
          b: eb.id,
        });
        ctx.print(opts, comparison, () => renderComparison(comparison));
      },
    );

  return evaluation;
}
