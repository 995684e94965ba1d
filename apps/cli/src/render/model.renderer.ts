import {
  type ModelFieldsFragment as Model,
  type ModelVersionFieldsFragment as ModelVersion,
  type ModelWithVersionsQuery,
} from '@fledge/client';

import { fields, formatBytes, formatShape, formatTime, section, shortDigest, table, lower } from './format.util.js';

const aliasList = (aliases: readonly { name: string; version: number }[]) =>
  aliases.length === 0 ? '-' : aliases.map((a) => `${a.name}→${a.version}`).join(', ');

export function renderModelList(models: readonly Model[], totalCount: number): string {
  if (models.length === 0) return 'No models.';
  return table(
    ['name', 'task', 'modality', 'latest', 'aliases', 'updated', 'description'],
    models.map((m) => [
      m.name,
      lower(m.task),
      lower(m.modality),
      m.latestVersion?.version,
      aliasList(m.aliases),
      formatTime(m.latestVersion?.createdAt ?? m.createdAt),
      m.description,
    ]),
  ).concat(models.length < totalCount ? `\n(${models.length} of ${totalCount}; --all lists every model)` : '');
}

type ModelWithVersions = NonNullable<ModelWithVersionsQuery['model']>;

export function renderModel(model: ModelWithVersions): string {
  const head = fields([
    ['Model', model.name],
    ['Task', lower(model.task)],
    ['Modality', lower(model.modality)],
    ['Description', model.description],
    ['Owner', model.owner],
    ['Created', formatTime(model.createdAt)],
    ['Aliases', aliasList(model.aliases)],
  ]);
  const versions = model.versions;
  const list =
    versions.edges.length === 0
      ? 'No versions yet.'
      : table(
          ['version', 'status', 'aliases', 'size', 'sha256', 'created', 'by'],
          versions.edges.map(({ node: v }) => [
            v.version,
            lower(v.status),
            v.aliases.join(', ') || '-',
            formatBytes(v.sizeBytes),
            shortDigest(v.sha256),
            formatTime(v.createdAt),
            v.createdBy,
          ]),
        ) +
        (versions.edges.length < versions.totalCount
          ? `\n(newest ${versions.edges.length} of ${versions.totalCount})`
          : '');
  return `${head}\n${section('Versions', list)}`;
}

type Tensor = ModelVersion['signature']['inputs'][number];
type PredictionSpec = NonNullable<ModelVersion['prediction']>;

export function renderTensors(inputs: readonly Tensor[], outputs: readonly Tensor[]): string {
  return table(
    ['', 'name', 'datatype', 'shape'],
    [
      ...inputs.map((t) => ['input', t.name, t.datatype, formatShape(t.shape)]),
      ...outputs.map((t) => ['output', t.name, t.datatype, formatShape(t.shape)]),
    ],
  );
}

/** One line per fact: the compared output and its kind, the classes, the scores used for probability metrics. */
export function renderPrediction(p: PredictionSpec): string {
  const lines = [`${p.output} (${p.kind.toLowerCase().replace('_', ' ')})`];
  if (p.classes) {
    const shown =
      p.classes.length > 12 ? `${p.classes.slice(0, 12).join(', ')}, … (${p.classes.length})` : p.classes.join(', ');
    lines.push(`classes: ${shown}${p.classSource ? ` (from ${p.classSource})` : ''}`);
  }
  if (p.scoresOutput && p.scores) {
    lines.push(`scores: ${p.scoresOutput} as ${p.scores.toLowerCase()}${p.scoresSource ? ` (${p.scoresSource})` : ''}`);
  }
  return lines.join('\n');
}

export function renderModelVersion(v: ModelVersion): string {
  const parts = [
    fields([
      ['Model', v.model.name],
      ['Version', v.version],
      ['Status', lower(v.status)],
      ['Aliases', v.aliases.join(', ')],
      ['Description', v.description],
      ['Format', v.format],
      ['Size', `${formatBytes(v.sizeBytes)} (${v.sizeBytes} bytes)`],
      ['sha256', v.sha256],
      ['Artifact', v.artifactUri],
      ['Training data', v.trainingDataset ? `${v.trainingDataset.dataset.name}@${v.trainingDataset.version}` : null],
      ['Created', `${formatTime(v.createdAt)} by ${v.createdBy}`],
    ]),
    section('Signature', renderTensors(v.signature.inputs, v.signature.outputs)),
  ];
  if (v.prediction) parts.push(section('Prediction', renderPrediction(v.prediction)));
  if (Object.keys(v.metadata ?? {}).length > 0) parts.push(section('Metadata', JSON.stringify(v.metadata, null, 2)));
  if (v.evaluations.length > 0) {
    parts.push(
      section(
        'Evaluations',
        table(
          ['id', 'status', 'metrics', 'created'],
          v.evaluations.map((e) => [
            e.id,
            lower(e.status),
            e.metrics ? JSON.stringify(e.metrics) : null,
            formatTime(e.createdAt),
          ]),
        ),
      ),
    );
  }
  if (v.endpoints.length > 0) {
    parts.push(
      section(
        'Endpoints',
        table(
          ['endpoint', 'role', 'weight'],
          v.endpoints.map((p) => [p.endpoint, p.role, p.weight]),
        ),
      ),
    );
  }
  return parts.join('\n');
}
