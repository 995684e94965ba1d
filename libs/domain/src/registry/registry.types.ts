import { type PredictionSpec } from '../prediction/prediction.types.js';

/** Registry records as the services see them, independent of the database and the transports. */

export type ModelTask = 'classification' | 'regression';
export type Modality = 'image' | 'text' | 'tabular';
export type ModelVersionStatus = 'registered' | 'validated' | 'rejected' | 'archived';
export type DatasetFormat = 'jsonl' | 'csv';
export type Compression = 'none' | 'gzip';
export type Role = 'viewer' | 'scientist' | 'engineer' | 'admin' | 'alerts';

/** Tensor element types as the Open Inference Protocol spells them (FP32, INT64, BYTES, ...). */
export type TensorDataType =
  'BOOL' | 'UINT8' | 'INT8' | 'UINT16' | 'INT16' | 'UINT32' | 'INT32' | 'INT64' | 'UINT64' | 'FP32' | 'FP64' | 'BYTES';

/** One input or output of a model, read from the ONNX file; -1 marks a dynamic dimension. */
export interface TensorSpec {
  name: string;
  datatype: TensorDataType;
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface ModelRecord {
  id: string;
  name: string;
  task: ModelTask;
  modality: Modality;
  owner: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModelVersionRecord {
  id: string;
  modelId: string;
  version: number;
  artifactUri: string;
  sha256: string;
  sizeBytes: number;
  format: 'onnx';
  signature: ModelSignature;
  /** Decided at registration; null for versions registered before prediction specs (see predictionOf). */
  prediction: PredictionSpec | null;
  trainingDatasetVersionId: string | null;
  metadata: Record<string, unknown>;
  description: string;
  status: ModelVersionStatus;
  createdBy: string;
  createdAt: Date;
}

export interface ModelAliasRecord {
  modelId: string;
  name: string;
  versionId: string;
  version: number;
  /** The endpoint whose successful rollouts move the alias (id and name); null when set by hand. */
  endpointId: string | null;
  endpoint: string | null;
  updatedAt: Date;
}

export interface DatasetRecord {
  id: string;
  name: string;
  owner: string;
  description: string;
  createdAt: Date;
}

export interface DatasetVersionRecord {
  id: string;
  datasetId: string;
  version: number;
  uri: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  format: DatasetFormat;
  compression: Compression;
  featureColumns: string[];
  labelColumn: string;
  labels: string[];
  metadata: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  lookupId: string;
  secretHash: string;
  role: Role;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Who acted: an API key, by id (and its name at the time), or Fledge itself, by a name such as `fledge-rollout`. */
export type AuditActor = { apiKeyId: string | null; name: string } | string;

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}
