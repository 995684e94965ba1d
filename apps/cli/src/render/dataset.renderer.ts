import { type DatasetsPageQuery, type DatasetVersionQuery, type DatasetWithVersionsQuery } from '@fledge/client';

import { fields, formatBytes, formatTime, section, shortDigest, table, lower } from './format.util.js';

type Dataset = DatasetsPageQuery['datasets']['edges'][number]['node'];
type DatasetWithVersions = NonNullable<DatasetWithVersionsQuery['dataset']>;
type DatasetVersion = DatasetVersionQuery['datasetVersion'];

const formatOf = (v: { format: string; compression: string }) =>
  `${v.format.toLowerCase()}${v.compression === 'GZIP' ? '+gzip' : ''}`;

export function renderDatasetList(datasets: readonly Dataset[], totalCount: number): string {
  if (datasets.length === 0) return 'No datasets.';
  return table(
    ['name', 'versions', 'latest', 'rows', 'format', 'created', 'description'],
    datasets.map((d) => {
      const latest = d.versions.edges[0]?.node;
      return [
        d.name,
        d.versions.totalCount,
        latest?.version,
        latest?.rowCount,
        latest ? formatOf(latest) : null,
        formatTime(d.createdAt),
        d.description,
      ];
    }),
  ).concat(datasets.length < totalCount ? `\n(${datasets.length} of ${totalCount}; --all lists every dataset)` : '');
}

export function renderDataset(dataset: DatasetWithVersions): string {
  const head = fields([
    ['Dataset', dataset.name],
    ['Description', dataset.description],
    ['Owner', dataset.owner],
    ['Created', formatTime(dataset.createdAt)],
  ]);
  const { edges, totalCount } = dataset.versions;
  const list =
    edges.length === 0
      ? 'No versions yet.'
      : table(
          ['version', 'rows', 'format', 'size', 'sha256', 'created'],
          edges.map(({ node: v }) => [
            v.version,
            v.rowCount,
            formatOf(v),
            formatBytes(v.sizeBytes),
            shortDigest(v.sha256),
            formatTime(v.createdAt),
          ]),
        ) + (edges.length < totalCount ? `\n(newest ${edges.length} of ${totalCount})` : '');
  return `${head}\n${section('Versions', list)}`;
}

export function renderDatasetVersion(v: DatasetVersion): string {
  const parts = [
    fields([
      ['Dataset', v.dataset.name],
      ['Version', v.version],
      ['Rows', v.rowCount],
      ['Format', lower(v.format)],
      ['Compression', lower(v.compression)],
      ['Features', v.featureColumns.join(', ')],
      ['Label', v.labelColumn],
      ['Labels', v.labels.join(', ')],
      ['Size', `${formatBytes(v.sizeBytes)} (${v.sizeBytes} bytes)`],
      ['sha256', v.sha256],
      ['URI', v.uri],
      ['Created', `${formatTime(v.createdAt)} by ${v.createdBy}`],
    ]),
  ];
  if (Object.keys(v.metadata ?? {}).length > 0) parts.push(section('Metadata', JSON.stringify(v.metadata, null, 2)));
  parts.push(section('Used by', renderUsage(v)));
  return parts.join('\n');
}

/** Where a dataset version is used: evaluations graded on it, model versions trained on it. */
function renderUsage(v: DatasetVersion): string {
  if (v.evaluations.length === 0 && v.trainedModelVersions.length === 0) return 'nothing yet';
  const rows = [
    ...v.trainedModelVersions.map((m) => ['trained', `${m.model.name}@${m.version}`, null, formatTime(m.createdAt)]),
    ...v.evaluations.map((e) => [
      'evaluation',
      `${e.modelVersion.model.name}@${e.modelVersion.version}`,
      `${e.id} (${lower(e.status)})`,
      formatTime(e.createdAt),
    ]),
  ];
  return table(['use', 'model version', 'evaluation', 'when'], rows);
}
