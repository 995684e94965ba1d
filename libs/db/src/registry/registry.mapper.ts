import {
  isPredictionSpec,
  type ApiKeyRecord,
  type DatasetRecord,
  type DatasetVersionRecord,
  type ModelRecord,
  type ModelSignature,
  type ModelVersionRecord,
} from '@fledge/domain';

import {
  type ApiKey,
  type Dataset,
  type DatasetVersion,
  type Model,
  type ModelVersion,
} from '../generated/prisma/client.js';

const asObject = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export const toModelRecord = (row: Model): ModelRecord => ({
  id: row.id,
  name: row.name,
  task: row.task,
  modality: row.modality,
  owner: row.owner,
  description: row.description ?? '',
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const toModelVersionRecord = (row: ModelVersion): ModelVersionRecord => ({
  id: row.id,
  modelId: row.modelId,
  version: row.version,
  artifactUri: row.artifactUri,
  sha256: row.sha256,
  sizeBytes: Number(row.sizeBytes),
  format: row.format,
  signature: row.signature as unknown as ModelSignature,
  prediction: isPredictionSpec(row.prediction) ? row.prediction : null,
  trainingDatasetVersionId: row.trainingDatasetVersionId,
  metadata: asObject(row.metadata),
  description: row.description ?? '',
  status: row.status,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

export const toDatasetRecord = (row: Dataset): DatasetRecord => ({
  id: row.id,
  name: row.name,
  owner: row.owner,
  description: row.description ?? '',
  createdAt: row.createdAt,
});

export const toDatasetVersionRecord = (row: DatasetVersion): DatasetVersionRecord => ({
  id: row.id,
  datasetId: row.datasetId,
  version: row.version,
  uri: row.uri,
  sha256: row.sha256,
  sizeBytes: Number(row.sizeBytes),
  rowCount: row.rowCount,
  format: row.format,
  compression: row.compression,
  featureColumns: row.featureColumns,
  labelColumn: row.labelColumn ?? '',
  labels: Array.isArray(row.labels) ? (row.labels as unknown[]).map(String) : [],
  metadata: asObject(row.metadata),
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

export const toApiKeyRecord = (row: ApiKey): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  lookupId: row.prefix,
  secretHash: row.secretHash,
  role: row.role,
  createdAt: row.createdAt,
  revokedAt: row.revokedAt,
  lastUsedAt: row.lastUsedAt,
});
