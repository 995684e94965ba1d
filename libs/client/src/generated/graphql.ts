/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AlarmState =
  | 'FIRING'
  | 'RESOLVED';

export type CreateApiKeyInput = {
  name: string;
  role: Role;
};

export type CreateDatasetInput = {
  description?: string | null | undefined;
  /** Unique name: lower-case letters, digits, dashes (1..63 characters). */
  name: string;
};

export type CreateEndpointInput = {
  /** Default LOCAL (the Fledge serving runtime). */
  backend?: EndpointBackend | null | undefined;
  description?: string | null | undefined;
  /** Unique name: lower-case letters, digits, dashes (1..63 characters). */
  name: string;
  /** LOCAL: { batching: { maxBatchSize, maxQueueDelayUs } }; SAGEMAKER: { region, executionRoleArn, image, instanceType, initialInstanceCount, roles: { primary|canary|shadow: { instanceType, instanceCount } }, tags, dataCapture: { destinationS3Uri, samplingPercentage } } (region, role and image default to the API settings). */
  options?: unknown;
};

export type CreateModelInput = {
  description?: string | null | undefined;
  modality: Modality;
  /** Unique name: lower-case letters, digits, dashes (1..63 characters). */
  name: string;
  task: ModelTask;
};

export type CreateUploadInput = {
  /** Original file name (at most 255 characters), kept for the record only. */
  filename?: string | null | undefined;
  kind: UploadKind;
};

export type DatasetCompression =
  | 'GZIP'
  | 'NONE';

export type DatasetFormat =
  | 'CSV'
  | 'JSONL';

export type DatasetVersionRef = {
  dataset: string;
  version: number;
};

export type EndpointBackend =
  | 'LOCAL'
  | 'SAGEMAKER';

export type EvaluateInput = {
  /** Dataset name. */
  dataset: string;
  datasetVersion: number;
  /** Model name. */
  model: string;
  version: number;
};

export type EvaluationStatus =
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Modality =
  | 'IMAGE'
  | 'TABULAR'
  | 'TEXT';

export type ModelTask =
  | 'CLASSIFICATION'
  | 'REGRESSION';

export type ModelVersionRefInput = {
  model: string;
  version: number;
};

export type ModelVersionStatus =
  | 'ARCHIVED'
  | 'REGISTERED'
  | 'REJECTED'
  | 'VALIDATED';

export type ModelsFilter = {
  modality?: Modality | null | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | null | undefined;
  task?: ModelTask | null | undefined;
};

/** CLASS_LABEL: an integer or string [batch] output holding the class; CLASS_SCORES: a float [batch, classes] output whose argmax is the class; REGRESSION: a float [batch] or [batch, 1] value. */
export type PredictionKind =
  | 'CLASS_LABEL'
  | 'CLASS_SCORES'
  | 'REGRESSION';

/** Overrides what registration decides the version predicts. */
export type PredictionOverrideInput = {
  /** The output to compare and grade (must be one of the model’s outputs). */
  output?: string | null | undefined;
  /** Declares the class scores as probabilities or logits. */
  scores?: ScoreType | null | undefined;
};

export type PromoteInput = {
  endpoint: string;
  model: string;
  /** Rollout policy (gate, shadow, canary.steps, slo, checkIntervalSeconds, promote); defaults fill the rest. */
  policy?: unknown;
  version: number;
};

export type RaiseAlarmInput = {
  endpoint: string;
  /** Default true; false records that the alarm resolved. */
  firing?: boolean | null | undefined;
  /** Alarm name, e.g. HighLatency. */
  name: string;
  summary?: string | null | undefined;
};

export type RegisterDatasetVersionInput = {
  /** Detected from the gzip header when omitted. */
  compression?: DatasetCompression | null | undefined;
  dataset: string;
  featureColumns: Array<string>;
  format: DatasetFormat;
  labelColumn: string;
  metadata?: unknown;
  /** A completed upload of the data file (see createUpload). */
  uploadId: string | number;
};

export type RegisterModelVersionInput = {
  description?: string | null | undefined;
  /** Hyperparameters, training metrics, free tags. */
  metadata?: unknown;
  /** Model name. */
  model: string;
  /** Which output carries the prediction and how its scores read; detected from the file when absent. */
  prediction?: PredictionOverrideInput | null | undefined;
  /** The dataset version it was trained on (lineage). */
  trainingDataset?: DatasetVersionRef | null | undefined;
  /** A completed upload of the ONNX file (see createUpload). */
  uploadId: string | number;
};

/** viewer reads; scientist also registers models, datasets and evaluations; engineer also manages endpoints and rollouts; admin manages keys; alerts may only raise alarms (webhooks, raiseAlarm). */
export type Role =
  | 'ADMIN'
  | 'ALERTS'
  | 'ENGINEER'
  | 'SCIENTIST'
  | 'VIEWER';

export type RolloutControlInput = {
  endpoint: string;
  reason?: string | null | undefined;
};

export type RolloutPhase =
  | 'APPROVAL'
  | 'CANARY'
  | 'FINAL'
  | 'PROMOTING'
  | 'ROLLBACK'
  | 'SHADOW';

export type RolloutState =
  | 'ABORTED'
  | 'CANARY'
  | 'FAILED'
  | 'GATING'
  | 'PENDING'
  | 'PROMOTING'
  | 'REJECTED'
  | 'ROLLED_BACK'
  | 'ROLLING_BACK'
  | 'SHADOW'
  | 'SUCCEEDED';

/** Class scores are probabilities (rows in [0, 1] summing to 1) or logits (softmax gives probabilities). */
export type ScoreType =
  | 'LOGITS'
  | 'PROBABILITIES';

export type SetModelAliasInput = {
  /** Alias name, e.g. production or champion. */
  alias: string;
  model: string;
  version: number;
};

export type SloCheckStatus =
  | 'FAIL'
  | 'INCONCLUSIVE'
  | 'PASS'
  | 'SKIPPED';

/** RELATIVE: candidate and baseline compared on the same window; ABSOLUTE_ONLY: the baseline served too little, only absolute limits applied. */
export type SloComparison =
  | 'ABSOLUTE_ONLY'
  | 'RELATIVE';

/** PASS: every rule holds; FAIL: a rule is broken; INCONCLUSIVE: too few samples to say (the bake waits). */
export type SloVerdict =
  | 'FAIL'
  | 'INCONCLUSIVE'
  | 'PASS';

export type UploadKind =
  | 'DATASET'
  | 'MODEL';

export type UploadStatus =
  | 'COMPLETE'
  | 'CONSUMED'
  | 'PENDING'
  | 'RECEIVING';

export type AuditEventsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  actor?: string | null | undefined;
  actorId?: string | number | null | undefined;
  action?: string | null | undefined;
  subjectType?: string | null | undefined;
  subjectId?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, at: string, actor: string, actorId: string | null, actorName: string, action: string, subjectType: string, subjectId: string, before: unknown, after: unknown } }> } };

export type ApiKeyFieldsFragment = { id: string, name: string, role: Role, lookupId: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, role: Role, lookupId: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, role: Role, lookupId: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, role: Role, lookupId: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type DatasetFieldsFragment = { id: string, name: string, description: string, owner: string, createdAt: string };

export type DatasetVersionSummaryFragment = { version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string };

export type DatasetVersionFieldsFragment = { id: string, uri: string, featureColumns: Array<string>, labelColumn: string, labels: Array<string>, metadata: unknown, createdBy: string, version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string, dataset: { name: string } };

export type DatasetsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DatasetsPageQuery = { datasets: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, description: string, owner: string, createdAt: string, versions: { totalCount: number, edges: Array<{ node: { version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string } }> } } }> } };

export type DatasetWithVersionsQueryVariables = Exact<{
  name: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DatasetWithVersionsQuery = { dataset: { id: string, name: string, description: string, owner: string, createdAt: string, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string } }> } } | null };

export type DatasetDetailQueryVariables = Exact<{
  name: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  usedBy?: number | null | undefined;
}>;


export type DatasetDetailQuery = { dataset: { id: string, name: string, description: string, owner: string, createdAt: string, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, uri: string, featureColumns: Array<string>, labelColumn: string, labels: Array<string>, metadata: unknown, createdBy: string, version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string, dataset: { name: string }, evaluations: Array<{ id: string, status: EvaluationStatus, createdAt: string, modelVersion: { version: number, model: { name: string } } }>, trainedModelVersions: Array<{ version: number, createdAt: string, model: { name: string } }> } }> } } | null };

export type DatasetVersionUsageFragment = { evaluations: Array<{ id: string, status: EvaluationStatus, createdAt: string, modelVersion: { version: number, model: { name: string } } }>, trainedModelVersions: Array<{ version: number, createdAt: string, model: { name: string } }> };

export type DatasetVersionQueryVariables = Exact<{
  dataset: string;
  version: number;
  usedBy?: number | null | undefined;
}>;


export type DatasetVersionQuery = { datasetVersion: { id: string, uri: string, featureColumns: Array<string>, labelColumn: string, labels: Array<string>, metadata: unknown, createdBy: string, version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string, dataset: { name: string }, evaluations: Array<{ id: string, status: EvaluationStatus, createdAt: string, modelVersion: { version: number, model: { name: string } } }>, trainedModelVersions: Array<{ version: number, createdAt: string, model: { name: string } }> } };

export type EndpointFieldsFragment = { id: string, name: string, backend: EndpointBackend, description: string, options: unknown, inferenceUrl: string | null, createdAt: string, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }> };

export type EndpointsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EndpointsPageQuery = { endpoints: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, backend: EndpointBackend, description: string, options: unknown, inferenceUrl: string | null, createdAt: string, activeRollout: { id: string, state: RolloutState } | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }> } }> } };

export type EndpointQueryVariables = Exact<{
  name: string;
  alarms: number;
}>;


export type EndpointQuery = { endpoint: { id: string, name: string, backend: EndpointBackend, description: string, options: unknown, inferenceUrl: string | null, createdAt: string, activeRollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } | null, alarms: Array<{ id: string, name: string, source: string, state: string, fingerprint: string, rolloutId: string | null, receivedAt: string, payload: unknown }>, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }> } | null };

export type EndpointDetailQueryVariables = Exact<{
  name: string;
}>;


export type EndpointDetailQuery = { endpoint: { id: string, name: string, backend: EndpointBackend, description: string, createdAt: string, options: unknown, inferenceUrl: string | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }>, activeRollout: { id: string, state: RolloutState, currentStep: number, createdAt: string, createdBy: string, candidate: { version: number, model: { name: string } } } | null, alarms: Array<{ id: string, name: string, source: string, state: string, receivedAt: string, rolloutId: string | null }> } | null, rollouts: { totalCount: number, edges: Array<{ node: { id: string, state: RolloutState, reason: string | null, createdAt: string, finishedAt: string | null, createdBy: string, candidate: { version: number, model: { name: string } } } }> } };

export type EndpointLiveStatsQueryVariables = Exact<{
  name: string;
  windowSeconds: number;
}>;


export type EndpointLiveStatsQuery = { endpoint: { name: string, liveStats: { at: string, windowSeconds: number, variants: Array<{ variant: string, role: string, weight: number, requests: number, requestsPerSecond: number, errors: number, clientErrors: number, errorRate: number, p50Ms: number, p95Ms: number, p99Ms: number, shadowSamples: number, agreement: number | null }> } } | null };

export type VersionSummaryFragment = { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> };

export type ModelFieldsFragment = { id: string, name: string, task: ModelTask, modality: Modality, description: string, owner: string, createdAt: string, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> } | null };

export type ModelVersionFieldsFragment = { id: string, version: number, artifactUri: string, sha256: string, sizeBytes: number, format: string, status: ModelVersionStatus, description: string, metadata: unknown, createdBy: string, createdAt: string, aliases: Array<string>, model: { name: string }, prediction: { output: string, kind: PredictionKind, classes: Array<string> | null, classSource: string | null, scoresOutput: string | null, scores: ScoreType | null, scoresSource: string | null } | null, signature: { inputs: Array<{ name: string, datatype: string, shape: Array<number> }>, outputs: Array<{ name: string, datatype: string, shape: Array<number> }> }, trainingDataset: { version: number, dataset: { name: string } } | null, evaluations: Array<{ id: string, status: EvaluationStatus, metrics: unknown, createdAt: string }>, endpoints: Array<{ endpoint: string, role: string, weight: number }> };

export type ModelsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ModelsFilter | null | undefined;
}>;


export type ModelsPageQuery = { models: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { updatedAt: string, id: string, name: string, task: ModelTask, modality: Modality, description: string, owner: string, createdAt: string, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> } | null } }> } };

export type ModelsListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ModelsFilter | null | undefined;
}>;


export type ModelsListQuery = { models: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, task: ModelTask, modality: Modality, owner: string, updatedAt: string, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, createdAt: string } | null } }> } };

export type ModelWithVersionsQueryVariables = Exact<{
  name: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ModelWithVersionsQuery = { model: { id: string, name: string, task: ModelTask, modality: Modality, description: string, owner: string, createdAt: string, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> } }> }, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> } | null } | null };

export type ModelVersionQueryVariables = Exact<{
  model: string;
  version: number;
}>;


export type ModelVersionQuery = { modelVersion: { id: string, version: number, artifactUri: string, sha256: string, sizeBytes: number, format: string, status: ModelVersionStatus, description: string, metadata: unknown, createdBy: string, createdAt: string, aliases: Array<string>, model: { name: string }, prediction: { output: string, kind: PredictionKind, classes: Array<string> | null, classSource: string | null, scoresOutput: string | null, scores: ScoreType | null, scoresSource: string | null } | null, signature: { inputs: Array<{ name: string, datatype: string, shape: Array<number> }>, outputs: Array<{ name: string, datatype: string, shape: Array<number> }> }, trainingDataset: { version: number, dataset: { name: string } } | null, evaluations: Array<{ id: string, status: EvaluationStatus, metrics: unknown, createdAt: string }>, endpoints: Array<{ endpoint: string, role: string, weight: number }> } };

export type ModelVersionEvaluationsQueryVariables = Exact<{
  model: string;
  version: number;
}>;


export type ModelVersionEvaluationsQuery = { modelVersion: { evaluations: Array<{ id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } }> } };

export type ModelDetailQueryVariables = Exact<{
  name: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ModelDetailQuery = { model: { id: string, name: string, task: ModelTask, modality: Modality, owner: string, description: string, createdAt: string, aliases: Array<{ name: string, version: number, updatedAt: string }>, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, status: ModelVersionStatus, description: string, createdAt: string, createdBy: string, format: string, sha256: string, sizeBytes: number, artifactUri: string, aliases: Array<string>, metadata: unknown, signature: { inputs: Array<{ name: string, datatype: string, shape: Array<number> }>, outputs: Array<{ name: string, datatype: string, shape: Array<number> }> }, trainingDataset: { version: number, dataset: { name: string } } | null, endpoints: Array<{ endpoint: string, role: string, weight: number }>, evaluations: Array<{ id: string, status: EvaluationStatus, createdAt: string, rowsDone: number, rowsTotal: number | null, error: string | null, datasetVersion: { version: number, dataset: { name: string } } }> } }> } } | null };

export type EvaluationDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type EvaluationDetailQuery = { evaluation: { id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } } };

export type CompareEvaluationsQueryVariables = Exact<{
  a: string | number;
  b: string | number;
}>;


export type CompareEvaluationsQuery = { compareEvaluations: { a: { id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } }, b: { id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } }, metrics: Array<{ metric: string, a: number, b: number, delta: number, improved: boolean }>, perClass: Array<{ label: string, precision: { a: number, b: number, delta: number, improved: boolean }, recall: { a: number, b: number, delta: number, improved: boolean }, f1: { a: number, b: number, delta: number, improved: boolean } }> } };

export type EvaluationFieldsFragment = { id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } };

export type MetricDeltaFieldsFragment = { a: number, b: number, delta: number, improved: boolean };

export type ModelAliasesQueryVariables = Exact<{
  name: string;
}>;


export type ModelAliasesQuery = { model: { name: string, aliases: Array<{ name: string, version: number, endpoint: string | null, updatedAt: string }> } | null };

export type UploadFieldsFragment = { id: string, kind: UploadKind, status: UploadStatus, url: string, maxBytes: number, sha256: string | null, sizeBytes: number | null, expiresAt: string };

export type CreateUploadMutationVariables = Exact<{
  input: CreateUploadInput;
}>;


export type CreateUploadMutation = { createUpload: { id: string, kind: UploadKind, status: UploadStatus, url: string, maxBytes: number, sha256: string | null, sizeBytes: number | null, expiresAt: string } };

export type CreateModelMutationVariables = Exact<{
  input: CreateModelInput;
}>;


export type CreateModelMutation = { createModel: { id: string, name: string, task: ModelTask, modality: Modality, description: string, owner: string, createdAt: string, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, sha256: string, sizeBytes: number, createdBy: string, createdAt: string, aliases: Array<string> } | null } };

export type RegisterModelVersionMutationVariables = Exact<{
  input: RegisterModelVersionInput;
}>;


export type RegisterModelVersionMutation = { registerModelVersion: { id: string, version: number, artifactUri: string, sha256: string, sizeBytes: number, format: string, status: ModelVersionStatus, description: string, metadata: unknown, createdBy: string, createdAt: string, aliases: Array<string>, model: { name: string }, prediction: { output: string, kind: PredictionKind, classes: Array<string> | null, classSource: string | null, scoresOutput: string | null, scores: ScoreType | null, scoresSource: string | null } | null, signature: { inputs: Array<{ name: string, datatype: string, shape: Array<number> }>, outputs: Array<{ name: string, datatype: string, shape: Array<number> }> }, trainingDataset: { version: number, dataset: { name: string } } | null, evaluations: Array<{ id: string, status: EvaluationStatus, metrics: unknown, createdAt: string }>, endpoints: Array<{ endpoint: string, role: string, weight: number }> } };

export type SetModelAliasMutationVariables = Exact<{
  input: SetModelAliasInput;
}>;


export type SetModelAliasMutation = { setModelAlias: { name: string, version: number } };

export type ArchiveModelVersionMutationVariables = Exact<{
  input: ModelVersionRefInput;
}>;


export type ArchiveModelVersionMutation = { archiveModelVersion: { id: string, version: number, artifactUri: string, sha256: string, sizeBytes: number, format: string, status: ModelVersionStatus, description: string, metadata: unknown, createdBy: string, createdAt: string, aliases: Array<string>, model: { name: string }, prediction: { output: string, kind: PredictionKind, classes: Array<string> | null, classSource: string | null, scoresOutput: string | null, scores: ScoreType | null, scoresSource: string | null } | null, signature: { inputs: Array<{ name: string, datatype: string, shape: Array<number> }>, outputs: Array<{ name: string, datatype: string, shape: Array<number> }> }, trainingDataset: { version: number, dataset: { name: string } } | null, evaluations: Array<{ id: string, status: EvaluationStatus, metrics: unknown, createdAt: string }>, endpoints: Array<{ endpoint: string, role: string, weight: number }> } };

export type CreateDatasetMutationVariables = Exact<{
  input: CreateDatasetInput;
}>;


export type CreateDatasetMutation = { createDataset: { id: string, name: string, description: string, owner: string, createdAt: string } };

export type RegisterDatasetVersionMutationVariables = Exact<{
  input: RegisterDatasetVersionInput;
}>;


export type RegisterDatasetVersionMutation = { registerDatasetVersion: { id: string, uri: string, featureColumns: Array<string>, labelColumn: string, labels: Array<string>, metadata: unknown, createdBy: string, version: number, rowCount: number, format: DatasetFormat, compression: DatasetCompression, sizeBytes: number, sha256: string, createdAt: string, dataset: { name: string } } };

export type EvaluateMutationVariables = Exact<{
  input: EvaluateInput;
}>;


export type EvaluateMutation = { evaluate: { id: string, status: EvaluationStatus, createdAt: string, createdBy: string, startedAt: string | null, finishedAt: string | null, rowsDone: number, rowsTotal: number | null, error: string | null, metrics: unknown, latency: unknown, throughput: number | null, modelVersion: { version: number, model: { name: string, task: ModelTask } }, datasetVersion: { version: number, rowCount: number, labels: Array<string>, dataset: { name: string } } } };

export type EvaluationStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type EvaluationStatusQuery = { evaluation: { id: string, status: EvaluationStatus, rowsDone: number, rowsTotal: number | null, error: string | null } };

export type CreateEndpointMutationVariables = Exact<{
  input: CreateEndpointInput;
}>;


export type CreateEndpointMutation = { createEndpoint: { id: string, name: string, backend: EndpointBackend, description: string, options: unknown, inferenceUrl: string | null, createdAt: string, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }> } };

export type VersionNameFragment = { version: number, model: { name: string } };

export type RolloutSummaryFieldsFragment = { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null };

export type RolloutStepFieldsFragment = { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number };

export type TrafficWeightFieldsFragment = { name: string, role: string, weight: number, shadowSampleRate: number };

export type RolloutLiveFieldsFragment = { state: RolloutState, paused: boolean, awaitingApproval: boolean, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> };

export type RolloutFieldsFragment = { createdBy: string, startedAt: string | null, workflowId: string | null, policy: unknown, evidence: unknown, id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, endpoint: { name: string }, live: { state: RolloutState, paused: boolean, awaitingApproval: boolean, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> } | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null };

export type RolloutDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutDetailQuery = { rollout: { createdBy: string, startedAt: string | null, workflowId: string | null, policy: unknown, evidence: unknown, id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, alarms: Array<{ id: string, name: string, source: string, state: string, receivedAt: string }>, endpoint: { name: string }, live: { state: RolloutState, paused: boolean, awaitingApproval: boolean, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> } | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type RolloutStateQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutStateQuery = { rollout: { id: string, state: RolloutState, reason: string | null, createdBy: string, live: { awaitingApproval: boolean, paused: boolean } | null } };

export type RolloutsQueryVariables = Exact<{
  endpoint: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RolloutsQuery = { rollouts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } }> } };

export type RolloutVersionRefFieldsFragment = { modelVersionId: string, modelName: string, version: number };

export type GateResultFieldsFragment = { passed: boolean, skipped: boolean, summary: string, rules: Array<{ rule: string, passed: boolean, actual: number | null, threshold: number, reason: string }> };

export type SloCheckFieldsFragment = { check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string };

export type LatencyComparisonFieldsFragment = { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null };

export type VariantWindowStatsFieldsFragment = { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null };

export type SloWindowFieldsFragment = { at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null };

export type RollbackCauseFieldsFragment = { kind: string, description: string, phase: RolloutPhase | null, summary: string | null, source: string | null, name: string | null, alarmId: string | null, by: string | null, reason: string | null, message: string | null };

export type RolloutEventFieldsFragment = { seq: number, type: string, at: string, payload:
    | { __typename: 'CleanupFailedEvent', stepKey: string, error: string }
    | { __typename: 'GateEvaluatedEvent', gate: { passed: boolean, skipped: boolean, summary: string, rules: Array<{ rule: string, passed: boolean, actual: number | null, threshold: number, reason: string }> }, candidateEvaluation: { evaluationId: string, status: string } | null, baselineEvaluation: { evaluationId: string, status: string } | null }
    | { __typename: 'RollbackCompletedEvent', reason: string | null, cleanupError: string | null, cause: { kind: string, description: string, phase: RolloutPhase | null, summary: string | null, source: string | null, name: string | null, alarmId: string | null, by: string | null, reason: string | null, message: string | null } | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> }
    | { __typename: 'RolloutContinuedEvent', run: number, historyLength: number | null }
    | { __typename: 'RolloutFinishedEvent', state: RolloutState, reason: string | null, cleanupError: string | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, cause: { kind: string, description: string, phase: RolloutPhase | null, summary: string | null, source: string | null, name: string | null, alarmId: string | null, by: string | null, reason: string | null, message: string | null } | null }
    | { __typename: 'RolloutStartedEvent', initiatedBy: string, stages: Array<string>, candidate: { modelVersionId: string, modelName: string, version: number }, baseline: { modelVersionId: string, modelName: string, version: number } | null }
    | { __typename: 'SignalReceivedEvent', signal: string, receivedAt: string, state: RolloutState, action: string | null, by: string | null, reason: string | null, source: string | null, name: string | null, alarmId: string | null, summary: string | null, awaitingApproval: boolean | null }
    | { __typename: 'SloWindowCheckedEvent', paused: boolean, window: { at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null } }
    | { __typename: 'StateChangedEvent', state: RolloutState, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null }
    | { __typename: 'StepCompletedEvent', stepKey: string, decision: string, maxSampleWaitSeconds: number | null, by: string | null, evidence: { verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null } | null, promoted: { modelVersionId: string, modelName: string, version: number } | null, replaced: { modelVersionId: string, modelName: string, version: number } | null }
    | { __typename: 'TrafficAppliedEvent', stepKey: string, alreadyApplied: boolean, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }> }
    | { __typename: 'UnrecognizedRolloutEvent', type: string, detail: unknown }
   };

export type RolloutEventsPageQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  withDetail?: boolean | null | undefined;
}>;


export type RolloutEventsPageQuery = { rollout: { id: string, state: RolloutState, reason: string | null, events: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { detail?: unknown, seq: number, type: string, at: string, payload:
            | { __typename: 'CleanupFailedEvent', stepKey: string, error: string }
            | { __typename: 'GateEvaluatedEvent', gate: { passed: boolean, skipped: boolean, summary: string, rules: Array<{ rule: string, passed: boolean, actual: number | null, threshold: number, reason: string }> }, candidateEvaluation: { evaluationId: string, status: string } | null, baselineEvaluation: { evaluationId: string, status: string } | null }
            | { __typename: 'RollbackCompletedEvent', reason: string | null, cleanupError: string | null, cause: { kind: string, description: string, phase: RolloutPhase | null, summary: string | null, source: string | null, name: string | null, alarmId: string | null, by: string | null, reason: string | null, message: string | null } | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> }
            | { __typename: 'RolloutContinuedEvent', run: number, historyLength: number | null }
            | { __typename: 'RolloutFinishedEvent', state: RolloutState, reason: string | null, cleanupError: string | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, cause: { kind: string, description: string, phase: RolloutPhase | null, summary: string | null, source: string | null, name: string | null, alarmId: string | null, by: string | null, reason: string | null, message: string | null } | null }
            | { __typename: 'RolloutStartedEvent', initiatedBy: string, stages: Array<string>, candidate: { modelVersionId: string, modelName: string, version: number }, baseline: { modelVersionId: string, modelName: string, version: number } | null }
            | { __typename: 'SignalReceivedEvent', signal: string, receivedAt: string, state: RolloutState, action: string | null, by: string | null, reason: string | null, source: string | null, name: string | null, alarmId: string | null, summary: string | null, awaitingApproval: boolean | null }
            | { __typename: 'SloWindowCheckedEvent', paused: boolean, window: { at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null } }
            | { __typename: 'StateChangedEvent', state: RolloutState, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null }
            | { __typename: 'StepCompletedEvent', stepKey: string, decision: string, maxSampleWaitSeconds: number | null, by: string | null, evidence: { verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null } | null, promoted: { modelVersionId: string, modelName: string, version: number } | null, replaced: { modelVersionId: string, modelName: string, version: number } | null }
            | { __typename: 'TrafficAppliedEvent', stepKey: string, alreadyApplied: boolean, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }> }
            | { __typename: 'UnrecognizedRolloutEvent', type: string, detail: unknown }
           } }> } } };

export type PromoteMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type PromoteMutation = { promote: { createdBy: string, startedAt: string | null, workflowId: string | null, policy: unknown, evidence: unknown, id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, endpoint: { name: string }, live: { state: RolloutState, paused: boolean, awaitingApproval: boolean, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> } | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type DeployModelVersionMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type DeployModelVersionMutation = { deployModelVersion: { createdBy: string, startedAt: string | null, workflowId: string | null, policy: unknown, evidence: unknown, id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, endpoint: { name: string }, live: { state: RolloutState, paused: boolean, awaitingApproval: boolean, reason: string | null, step: { key: string, phase: RolloutPhase, ordinal: number, canaryStep: number | null, canarySteps: number, weight: number | null, bakeSeconds: number, bakedSeconds: number } | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }>, lastChecks: Array<{ at: string, phase: RolloutPhase, stepKey: string, verdict: SloVerdict, hard: boolean, comparison: SloComparison, note: string | null, summary: string, consecutiveFailures: number, failureThreshold: number, observedSeconds: number | null, bakeSeconds: number | null, checks: Array<{ check: string, status: SloCheckStatus, passed: boolean, hard: boolean, actual: number | null, threshold: number | null, pValue: number | null, detail: string }>, latency: { method: string, source: string, note: string | null, u: number | null, pValue: number | null, exact: boolean | null, shiftMs: number | null, shiftRatio: number | null, alpha: number, minShiftMs: number | null } | null, candidate: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null }, baseline: { variant: string, requests: number, errors: number, clientErrors: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number, shadowSamples: number | null, agreement: number | null, source: string | null, judgedRequests: number | null, successes: number | null, serverErrors: number | null, errorRate: number | null, medianMs: number | null } | null }> } | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type PromoteBriefMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type PromoteBriefMutation = { promote: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type DeployModelVersionBriefMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type DeployModelVersionBriefMutation = { deployModelVersion: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type ApproveRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type ApproveRolloutMutation = { approveRollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type PauseRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type PauseRolloutMutation = { pauseRollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type ResumeRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type ResumeRolloutMutation = { resumeRollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type AbortRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type AbortRolloutMutation = { abortRollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, createdAt: string, finishedAt: string | null, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null } };

export type AlarmFieldsFragment = { id: string, name: string, source: string, state: string, fingerprint: string, rolloutId: string | null, receivedAt: string, payload: unknown };

export type RaiseAlarmMutationVariables = Exact<{
  input: RaiseAlarmInput;
}>;


export type RaiseAlarmMutation = { raiseAlarm: Array<{ id: string, name: string, source: string, state: string, fingerprint: string, rolloutId: string | null, receivedAt: string, payload: unknown }> };

export type AlarmsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  endpoint?: string | null | undefined;
  state?: AlarmState | null | undefined;
  source?: string | null | undefined;
}>;


export type AlarmsQuery = { alarms: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, source: string, state: string, fingerprint: string, rolloutId: string | null, receivedAt: string, payload: unknown, endpoint: { name: string } } }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { name: string, role: Role } };

export type HealthQueryVariables = Exact<{ [key: string]: never; }>;


export type HealthQuery = { health: { status: string } };

export type ViewerKeyQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerKeyQuery = { viewer: { id: string, name: string, role: Role } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  role
  lookupId
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const DatasetFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetFields on Dataset {
  id
  name
  description
  owner
  createdAt
}
    `, {"fragmentName":"DatasetFields"}) as unknown as TypedDocumentString<DatasetFieldsFragment, unknown>;
export const DatasetVersionSummaryFragmentDoc = new TypedDocumentString(`
    fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}
    `, {"fragmentName":"DatasetVersionSummary"}) as unknown as TypedDocumentString<DatasetVersionSummaryFragment, unknown>;
export const DatasetVersionFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetVersionFields on DatasetVersion {
  id
  dataset {
    name
  }
  ...DatasetVersionSummary
  uri
  featureColumns
  labelColumn
  labels
  metadata
  createdBy
}
    fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}`, {"fragmentName":"DatasetVersionFields"}) as unknown as TypedDocumentString<DatasetVersionFieldsFragment, unknown>;
export const DatasetVersionUsageFragmentDoc = new TypedDocumentString(`
    fragment DatasetVersionUsage on DatasetVersion {
  evaluations(limit: $usedBy) {
    id
    status
    createdAt
    modelVersion {
      version
      model {
        name
      }
    }
  }
  trainedModelVersions(limit: $usedBy) {
    version
    createdAt
    model {
      name
    }
  }
}
    `, {"fragmentName":"DatasetVersionUsage"}) as unknown as TypedDocumentString<DatasetVersionUsageFragment, unknown>;
export const EndpointFieldsFragmentDoc = new TypedDocumentString(`
    fragment EndpointFields on Endpoint {
  id
  name
  backend
  description
  options
  inferenceUrl
  createdAt
  variants {
    name
    role
    weight
    shadowSampleRate
    modelName
    version
  }
}
    `, {"fragmentName":"EndpointFields"}) as unknown as TypedDocumentString<EndpointFieldsFragment, unknown>;
export const VersionSummaryFragmentDoc = new TypedDocumentString(`
    fragment VersionSummary on ModelVersion {
  version
  status
  sha256
  sizeBytes
  createdBy
  createdAt
  aliases
}
    `, {"fragmentName":"VersionSummary"}) as unknown as TypedDocumentString<VersionSummaryFragment, unknown>;
export const ModelFieldsFragmentDoc = new TypedDocumentString(`
    fragment ModelFields on Model {
  id
  name
  task
  modality
  description
  owner
  createdAt
  aliases {
    name
    version
  }
  latestVersion {
    ...VersionSummary
  }
}
    fragment VersionSummary on ModelVersion {
  version
  status
  sha256
  sizeBytes
  createdBy
  createdAt
  aliases
}`, {"fragmentName":"ModelFields"}) as unknown as TypedDocumentString<ModelFieldsFragment, unknown>;
export const ModelVersionFieldsFragmentDoc = new TypedDocumentString(`
    fragment ModelVersionFields on ModelVersion {
  id
  model {
    name
  }
  version
  artifactUri
  sha256
  sizeBytes
  format
  status
  description
  metadata
  createdBy
  createdAt
  prediction {
    output
    kind
    classes
    classSource
    scoresOutput
    scores
    scoresSource
  }
  signature {
    inputs {
      name
      datatype
      shape
    }
    outputs {
      name
      datatype
      shape
    }
  }
  aliases
  trainingDataset {
    version
    dataset {
      name
    }
  }
  evaluations {
    id
    status
    metrics
    createdAt
  }
  endpoints {
    endpoint
    role
    weight
  }
}
    `, {"fragmentName":"ModelVersionFields"}) as unknown as TypedDocumentString<ModelVersionFieldsFragment, unknown>;
export const EvaluationFieldsFragmentDoc = new TypedDocumentString(`
    fragment EvaluationFields on Evaluation {
  id
  status
  createdAt
  createdBy
  startedAt
  finishedAt
  rowsDone
  rowsTotal
  error
  metrics
  latency
  throughput
  modelVersion {
    version
    model {
      name
      task
    }
  }
  datasetVersion {
    version
    rowCount
    labels
    dataset {
      name
    }
  }
}
    `, {"fragmentName":"EvaluationFields"}) as unknown as TypedDocumentString<EvaluationFieldsFragment, unknown>;
export const MetricDeltaFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricDeltaFields on MetricDelta {
  a
  b
  delta
  improved
}
    `, {"fragmentName":"MetricDeltaFields"}) as unknown as TypedDocumentString<MetricDeltaFieldsFragment, unknown>;
export const UploadFieldsFragmentDoc = new TypedDocumentString(`
    fragment UploadFields on Upload {
  id
  kind
  status
  url
  maxBytes
  sha256
  sizeBytes
  expiresAt
}
    `, {"fragmentName":"UploadFields"}) as unknown as TypedDocumentString<UploadFieldsFragment, unknown>;
export const VersionNameFragmentDoc = new TypedDocumentString(`
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
    `, {"fragmentName":"VersionName"}) as unknown as TypedDocumentString<VersionNameFragment, unknown>;
export const RolloutSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}`, {"fragmentName":"RolloutSummaryFields"}) as unknown as TypedDocumentString<RolloutSummaryFieldsFragment, unknown>;
export const RolloutStepFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
    `, {"fragmentName":"RolloutStepFields"}) as unknown as TypedDocumentString<RolloutStepFieldsFragment, unknown>;
export const TrafficWeightFieldsFragmentDoc = new TypedDocumentString(`
    fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
    `, {"fragmentName":"TrafficWeightFields"}) as unknown as TypedDocumentString<TrafficWeightFieldsFragment, unknown>;
export const SloCheckFieldsFragmentDoc = new TypedDocumentString(`
    fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
    `, {"fragmentName":"SloCheckFields"}) as unknown as TypedDocumentString<SloCheckFieldsFragment, unknown>;
export const LatencyComparisonFieldsFragmentDoc = new TypedDocumentString(`
    fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
    `, {"fragmentName":"LatencyComparisonFields"}) as unknown as TypedDocumentString<LatencyComparisonFieldsFragment, unknown>;
export const VariantWindowStatsFieldsFragmentDoc = new TypedDocumentString(`
    fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
    `, {"fragmentName":"VariantWindowStatsFields"}) as unknown as TypedDocumentString<VariantWindowStatsFieldsFragment, unknown>;
export const SloWindowFieldsFragmentDoc = new TypedDocumentString(`
    fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}
    fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}`, {"fragmentName":"SloWindowFields"}) as unknown as TypedDocumentString<SloWindowFieldsFragment, unknown>;
export const RolloutLiveFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutLiveFields on RolloutLiveStatus {
  state
  step {
    ...RolloutStepFields
  }
  weights {
    ...TrafficWeightFields
  }
  paused
  awaitingApproval
  lastChecks {
    ...SloWindowFields
  }
  reason
}
    fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}`, {"fragmentName":"RolloutLiveFields"}) as unknown as TypedDocumentString<RolloutLiveFieldsFragment, unknown>;
export const RolloutFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutFields on Rollout {
  ...RolloutSummaryFields
  endpoint {
    name
  }
  createdBy
  startedAt
  workflowId
  policy
  evidence
  live {
    ...RolloutLiveFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutLiveFields on RolloutLiveStatus {
  state
  step {
    ...RolloutStepFields
  }
  weights {
    ...TrafficWeightFields
  }
  paused
  awaitingApproval
  lastChecks {
    ...SloWindowFields
  }
  reason
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}`, {"fragmentName":"RolloutFields"}) as unknown as TypedDocumentString<RolloutFieldsFragment, unknown>;
export const RolloutVersionRefFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutVersionRefFields on RolloutVersionRef {
  modelVersionId
  modelName
  version
}
    `, {"fragmentName":"RolloutVersionRefFields"}) as unknown as TypedDocumentString<RolloutVersionRefFieldsFragment, unknown>;
export const GateResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment GateResultFields on GateResult {
  passed
  skipped
  summary
  rules {
    rule
    passed
    actual
    threshold
    reason
  }
}
    `, {"fragmentName":"GateResultFields"}) as unknown as TypedDocumentString<GateResultFieldsFragment, unknown>;
export const RollbackCauseFieldsFragmentDoc = new TypedDocumentString(`
    fragment RollbackCauseFields on RollbackCause {
  kind
  description
  phase
  summary
  source
  name
  alarmId
  by
  reason
  message
}
    `, {"fragmentName":"RollbackCauseFields"}) as unknown as TypedDocumentString<RollbackCauseFieldsFragment, unknown>;
export const RolloutEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutEventFields on RolloutEvent {
  seq
  type
  at
  payload {
    __typename
    ... on RolloutStartedEvent {
      candidate {
        ...RolloutVersionRefFields
      }
      baseline {
        ...RolloutVersionRefFields
      }
      initiatedBy
      stages
    }
    ... on RolloutContinuedEvent {
      run
      historyLength
    }
    ... on StateChangedEvent {
      state
      reason
      step {
        ...RolloutStepFields
      }
    }
    ... on GateEvaluatedEvent {
      gate {
        ...GateResultFields
      }
      candidateEvaluation {
        evaluationId
        status
      }
      baselineEvaluation {
        evaluationId
        status
      }
    }
    ... on TrafficAppliedEvent {
      stepKey
      variants {
        ...TrafficWeightFields
      }
      alreadyApplied
    }
    ... on SloWindowCheckedEvent {
      window {
        ...SloWindowFields
      }
      paused
    }
    ... on StepCompletedEvent {
      stepKey
      decision
      evidence {
        verdict
        hard
        comparison
        note
        summary
        checks {
          ...SloCheckFields
        }
        latency {
          ...LatencyComparisonFields
        }
      }
      maxSampleWaitSeconds
      by
      promoted {
        ...RolloutVersionRefFields
      }
      replaced {
        ...RolloutVersionRefFields
      }
    }
    ... on SignalReceivedEvent {
      signal
      receivedAt
      state
      action
      by
      reason
      source
      name
      alarmId
      summary
      awaitingApproval
    }
    ... on RollbackCompletedEvent {
      cause {
        ...RollbackCauseFields
      }
      reason
      variants {
        ...TrafficWeightFields
      }
      lastChecks {
        ...SloWindowFields
      }
      cleanupError
    }
    ... on CleanupFailedEvent {
      stepKey
      error
    }
    ... on RolloutFinishedEvent {
      state
      reason
      variants {
        ...TrafficWeightFields
      }
      cause {
        ...RollbackCauseFields
      }
      cleanupError
    }
    ... on UnrecognizedRolloutEvent {
      type
      detail
    }
  }
}
    fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutVersionRefFields on RolloutVersionRef {
  modelVersionId
  modelName
  version
}
fragment GateResultFields on GateResult {
  passed
  skipped
  summary
  rules {
    rule
    passed
    actual
    threshold
    reason
  }
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}
fragment RollbackCauseFields on RollbackCause {
  kind
  description
  phase
  summary
  source
  name
  alarmId
  by
  reason
  message
}`, {"fragmentName":"RolloutEventFields"}) as unknown as TypedDocumentString<RolloutEventFieldsFragment, unknown>;
export const AlarmFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlarmFields on Alarm {
  id
  name
  source
  state
  fingerprint
  rolloutId
  receivedAt
  payload
}
    `, {"fragmentName":"AlarmFields"}) as unknown as TypedDocumentString<AlarmFieldsFragment, unknown>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($first: Int!, $after: String, $actor: String, $actorId: ID, $action: String, $subjectType: String, $subjectId: String) {
  auditEvents(
    first: $first
    after: $after
    actor: $actor
    actorId: $actorId
    action: $action
    subjectType: $subjectType
    subjectId: $subjectId
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        at
        actor
        actorId
        actorName
        action
        subjectType
        subjectId
        before
        after
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  role
  lookupId
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  role
  lookupId
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  role
  lookupId
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const DatasetsPageDocument = new TypedDocumentString(`
    query DatasetsPage($first: Int, $after: String) {
  datasets(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...DatasetFields
        versions(first: 1) {
          totalCount
          edges {
            node {
              ...DatasetVersionSummary
            }
          }
        }
      }
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  description
  owner
  createdAt
}
fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}`) as unknown as TypedDocumentString<DatasetsPageQuery, DatasetsPageQueryVariables>;
export const DatasetWithVersionsDocument = new TypedDocumentString(`
    query DatasetWithVersions($name: String!, $first: Int, $after: String) {
  dataset(name: $name) {
    ...DatasetFields
    versions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...DatasetVersionSummary
        }
      }
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  description
  owner
  createdAt
}
fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}`) as unknown as TypedDocumentString<DatasetWithVersionsQuery, DatasetWithVersionsQueryVariables>;
export const DatasetDetailDocument = new TypedDocumentString(`
    query DatasetDetail($name: String!, $first: Int, $after: String, $usedBy: Int = 5) {
  dataset(name: $name) {
    ...DatasetFields
    versions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...DatasetVersionFields
          ...DatasetVersionUsage
        }
      }
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  description
  owner
  createdAt
}
fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}
fragment DatasetVersionFields on DatasetVersion {
  id
  dataset {
    name
  }
  ...DatasetVersionSummary
  uri
  featureColumns
  labelColumn
  labels
  metadata
  createdBy
}
fragment DatasetVersionUsage on DatasetVersion {
  evaluations(limit: $usedBy) {
    id
    status
    createdAt
    modelVersion {
      version
      model {
        name
      }
    }
  }
  trainedModelVersions(limit: $usedBy) {
    version
    createdAt
    model {
      name
    }
  }
}`) as unknown as TypedDocumentString<DatasetDetailQuery, DatasetDetailQueryVariables>;
export const DatasetVersionDocument = new TypedDocumentString(`
    query DatasetVersion($dataset: String!, $version: Int!, $usedBy: Int = 20) {
  datasetVersion(dataset: $dataset, version: $version) {
    ...DatasetVersionFields
    ...DatasetVersionUsage
  }
}
    fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}
fragment DatasetVersionFields on DatasetVersion {
  id
  dataset {
    name
  }
  ...DatasetVersionSummary
  uri
  featureColumns
  labelColumn
  labels
  metadata
  createdBy
}
fragment DatasetVersionUsage on DatasetVersion {
  evaluations(limit: $usedBy) {
    id
    status
    createdAt
    modelVersion {
      version
      model {
        name
      }
    }
  }
  trainedModelVersions(limit: $usedBy) {
    version
    createdAt
    model {
      name
    }
  }
}`) as unknown as TypedDocumentString<DatasetVersionQuery, DatasetVersionQueryVariables>;
export const EndpointsPageDocument = new TypedDocumentString(`
    query EndpointsPage($first: Int, $after: String) {
  endpoints(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...EndpointFields
        activeRollout {
          id
          state
        }
      }
    }
  }
}
    fragment EndpointFields on Endpoint {
  id
  name
  backend
  description
  options
  inferenceUrl
  createdAt
  variants {
    name
    role
    weight
    shadowSampleRate
    modelName
    version
  }
}`) as unknown as TypedDocumentString<EndpointsPageQuery, EndpointsPageQueryVariables>;
export const EndpointDocument = new TypedDocumentString(`
    query Endpoint($name: String!, $alarms: Int!) {
  endpoint(name: $name) {
    ...EndpointFields
    activeRollout {
      ...RolloutSummaryFields
    }
    alarms(limit: $alarms) {
      ...AlarmFields
    }
  }
}
    fragment EndpointFields on Endpoint {
  id
  name
  backend
  description
  options
  inferenceUrl
  createdAt
  variants {
    name
    role
    weight
    shadowSampleRate
    modelName
    version
  }
}
fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
fragment AlarmFields on Alarm {
  id
  name
  source
  state
  fingerprint
  rolloutId
  receivedAt
  payload
}`) as unknown as TypedDocumentString<EndpointQuery, EndpointQueryVariables>;
export const EndpointDetailDocument = new TypedDocumentString(`
    query EndpointDetail($name: String!) {
  endpoint(name: $name) {
    id
    name
    backend
    description
    createdAt
    options
    inferenceUrl
    variants {
      name
      role
      weight
      shadowSampleRate
      modelName
      version
    }
    activeRollout {
      id
      state
      currentStep
      createdAt
      createdBy
      candidate {
        version
        model {
          name
        }
      }
    }
    alarms(limit: 10) {
      id
      name
      source
      state
      receivedAt
      rolloutId
    }
  }
  rollouts(endpoint: $name, first: 10) {
    totalCount
    edges {
      node {
        id
        state
        reason
        createdAt
        finishedAt
        createdBy
        candidate {
          version
          model {
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EndpointDetailQuery, EndpointDetailQueryVariables>;
export const EndpointLiveStatsDocument = new TypedDocumentString(`
    query EndpointLiveStats($name: String!, $windowSeconds: Int!) {
  endpoint(name: $name) {
    name
    liveStats(windowSeconds: $windowSeconds) {
      at
      windowSeconds
      variants {
        variant
        role
        weight
        requests
        requestsPerSecond
        errors
        clientErrors
        errorRate
        p50Ms
        p95Ms
        p99Ms
        shadowSamples
        agreement
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EndpointLiveStatsQuery, EndpointLiveStatsQueryVariables>;
export const ModelsPageDocument = new TypedDocumentString(`
    query ModelsPage($first: Int, $after: String, $filter: ModelsFilter) {
  models(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ModelFields
        updatedAt
      }
    }
  }
}
    fragment VersionSummary on ModelVersion {
  version
  status
  sha256
  sizeBytes
  createdBy
  createdAt
  aliases
}
fragment ModelFields on Model {
  id
  name
  task
  modality
  description
  owner
  createdAt
  aliases {
    name
    version
  }
  latestVersion {
    ...VersionSummary
  }
}`) as unknown as TypedDocumentString<ModelsPageQuery, ModelsPageQueryVariables>;
export const ModelsListDocument = new TypedDocumentString(`
    query ModelsList($first: Int!, $after: String, $filter: ModelsFilter) {
  models(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        task
        modality
        owner
        updatedAt
        aliases {
          name
          version
        }
        latestVersion {
          version
          status
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelsListQuery, ModelsListQueryVariables>;
export const ModelWithVersionsDocument = new TypedDocumentString(`
    query ModelWithVersions($name: String!, $first: Int, $after: String) {
  model(name: $name) {
    ...ModelFields
    versions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...VersionSummary
        }
      }
    }
  }
}
    fragment VersionSummary on ModelVersion {
  version
  status
  sha256
  sizeBytes
  createdBy
  createdAt
  aliases
}
fragment ModelFields on Model {
  id
  name
  task
  modality
  description
  owner
  createdAt
  aliases {
    name
    version
  }
  latestVersion {
    ...VersionSummary
  }
}`) as unknown as TypedDocumentString<ModelWithVersionsQuery, ModelWithVersionsQueryVariables>;
export const ModelVersionDocument = new TypedDocumentString(`
    query ModelVersion($model: String!, $version: Int!) {
  modelVersion(model: $model, version: $version) {
    ...ModelVersionFields
  }
}
    fragment ModelVersionFields on ModelVersion {
  id
  model {
    name
  }
  version
  artifactUri
  sha256
  sizeBytes
  format
  status
  description
  metadata
  createdBy
  createdAt
  prediction {
    output
    kind
    classes
    classSource
    scoresOutput
    scores
    scoresSource
  }
  signature {
    inputs {
      name
      datatype
      shape
    }
    outputs {
      name
      datatype
      shape
    }
  }
  aliases
  trainingDataset {
    version
    dataset {
      name
    }
  }
  evaluations {
    id
    status
    metrics
    createdAt
  }
  endpoints {
    endpoint
    role
    weight
  }
}`) as unknown as TypedDocumentString<ModelVersionQuery, ModelVersionQueryVariables>;
export const ModelVersionEvaluationsDocument = new TypedDocumentString(`
    query ModelVersionEvaluations($model: String!, $version: Int!) {
  modelVersion(model: $model, version: $version) {
    evaluations {
      ...EvaluationFields
    }
  }
}
    fragment EvaluationFields on Evaluation {
  id
  status
  createdAt
  createdBy
  startedAt
  finishedAt
  rowsDone
  rowsTotal
  error
  metrics
  latency
  throughput
  modelVersion {
    version
    model {
      name
      task
    }
  }
  datasetVersion {
    version
    rowCount
    labels
    dataset {
      name
    }
  }
}`) as unknown as TypedDocumentString<ModelVersionEvaluationsQuery, ModelVersionEvaluationsQueryVariables>;
export const ModelDetailDocument = new TypedDocumentString(`
    query ModelDetail($name: String!, $first: Int!, $after: String) {
  model(name: $name) {
    id
    name
    task
    modality
    owner
    description
    createdAt
    aliases {
      name
      version
      updatedAt
    }
    versions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          version
          status
          description
          createdAt
          createdBy
          format
          sha256
          sizeBytes
          artifactUri
          aliases
          metadata
          signature {
            inputs {
              name
              datatype
              shape
            }
            outputs {
              name
              datatype
              shape
            }
          }
          trainingDataset {
            version
            dataset {
              name
            }
          }
          endpoints {
            endpoint
            role
            weight
          }
          evaluations {
            id
            status
            createdAt
            rowsDone
            rowsTotal
            error
            datasetVersion {
              version
              dataset {
                name
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelDetailQuery, ModelDetailQueryVariables>;
export const EvaluationDetailDocument = new TypedDocumentString(`
    query EvaluationDetail($id: ID!) {
  evaluation(id: $id) {
    ...EvaluationFields
  }
}
    fragment EvaluationFields on Evaluation {
  id
  status
  createdAt
  createdBy
  startedAt
  finishedAt
  rowsDone
  rowsTotal
  error
  metrics
  latency
  throughput
  modelVersion {
    version
    model {
      name
      task
    }
  }
  datasetVersion {
    version
    rowCount
    labels
    dataset {
      name
    }
  }
}`) as unknown as TypedDocumentString<EvaluationDetailQuery, EvaluationDetailQueryVariables>;
export const CompareEvaluationsDocument = new TypedDocumentString(`
    query CompareEvaluations($a: ID!, $b: ID!) {
  compareEvaluations(a: $a, b: $b) {
    a {
      ...EvaluationFields
    }
    b {
      ...EvaluationFields
    }
    metrics {
      metric
      ...MetricDeltaFields
    }
    perClass {
      label
      precision {
        ...MetricDeltaFields
      }
      recall {
        ...MetricDeltaFields
      }
      f1 {
        ...MetricDeltaFields
      }
    }
  }
}
    fragment EvaluationFields on Evaluation {
  id
  status
  createdAt
  createdBy
  startedAt
  finishedAt
  rowsDone
  rowsTotal
  error
  metrics
  latency
  throughput
  modelVersion {
    version
    model {
      name
      task
    }
  }
  datasetVersion {
    version
    rowCount
    labels
    dataset {
      name
    }
  }
}
fragment MetricDeltaFields on MetricDelta {
  a
  b
  delta
  improved
}`) as unknown as TypedDocumentString<CompareEvaluationsQuery, CompareEvaluationsQueryVariables>;
export const ModelAliasesDocument = new TypedDocumentString(`
    query ModelAliases($name: String!) {
  model(name: $name) {
    name
    aliases {
      name
      version
      endpoint
      updatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<ModelAliasesQuery, ModelAliasesQueryVariables>;
export const CreateUploadDocument = new TypedDocumentString(`
    mutation CreateUpload($input: CreateUploadInput!) {
  createUpload(input: $input) {
    ...UploadFields
  }
}
    fragment UploadFields on Upload {
  id
  kind
  status
  url
  maxBytes
  sha256
  sizeBytes
  expiresAt
}`) as unknown as TypedDocumentString<CreateUploadMutation, CreateUploadMutationVariables>;
export const CreateModelDocument = new TypedDocumentString(`
    mutation CreateModel($input: CreateModelInput!) {
  createModel(input: $input) {
    ...ModelFields
  }
}
    fragment VersionSummary on ModelVersion {
  version
  status
  sha256
  sizeBytes
  createdBy
  createdAt
  aliases
}
fragment ModelFields on Model {
  id
  name
  task
  modality
  description
  owner
  createdAt
  aliases {
    name
    version
  }
  latestVersion {
    ...VersionSummary
  }
}`) as unknown as TypedDocumentString<CreateModelMutation, CreateModelMutationVariables>;
export const RegisterModelVersionDocument = new TypedDocumentString(`
    mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) {
    ...ModelVersionFields
  }
}
    fragment ModelVersionFields on ModelVersion {
  id
  model {
    name
  }
  version
  artifactUri
  sha256
  sizeBytes
  format
  status
  description
  metadata
  createdBy
  createdAt
  prediction {
    output
    kind
    classes
    classSource
    scoresOutput
    scores
    scoresSource
  }
  signature {
    inputs {
      name
      datatype
      shape
    }
    outputs {
      name
      datatype
      shape
    }
  }
  aliases
  trainingDataset {
    version
    dataset {
      name
    }
  }
  evaluations {
    id
    status
    metrics
    createdAt
  }
  endpoints {
    endpoint
    role
    weight
  }
}`) as unknown as TypedDocumentString<RegisterModelVersionMutation, RegisterModelVersionMutationVariables>;
export const SetModelAliasDocument = new TypedDocumentString(`
    mutation SetModelAlias($input: SetModelAliasInput!) {
  setModelAlias(input: $input) {
    name
    version
  }
}
    `) as unknown as TypedDocumentString<SetModelAliasMutation, SetModelAliasMutationVariables>;
export const ArchiveModelVersionDocument = new TypedDocumentString(`
    mutation ArchiveModelVersion($input: ModelVersionRefInput!) {
  archiveModelVersion(input: $input) {
    ...ModelVersionFields
  }
}
    fragment ModelVersionFields on ModelVersion {
  id
  model {
    name
  }
  version
  artifactUri
  sha256
  sizeBytes
  format
  status
  description
  metadata
  createdBy
  createdAt
  prediction {
    output
    kind
    classes
    classSource
    scoresOutput
    scores
    scoresSource
  }
  signature {
    inputs {
      name
      datatype
      shape
    }
    outputs {
      name
      datatype
      shape
    }
  }
  aliases
  trainingDataset {
    version
    dataset {
      name
    }
  }
  evaluations {
    id
    status
    metrics
    createdAt
  }
  endpoints {
    endpoint
    role
    weight
  }
}`) as unknown as TypedDocumentString<ArchiveModelVersionMutation, ArchiveModelVersionMutationVariables>;
export const CreateDatasetDocument = new TypedDocumentString(`
    mutation CreateDataset($input: CreateDatasetInput!) {
  createDataset(input: $input) {
    ...DatasetFields
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  description
  owner
  createdAt
}`) as unknown as TypedDocumentString<CreateDatasetMutation, CreateDatasetMutationVariables>;
export const RegisterDatasetVersionDocument = new TypedDocumentString(`
    mutation RegisterDatasetVersion($input: RegisterDatasetVersionInput!) {
  registerDatasetVersion(input: $input) {
    ...DatasetVersionFields
  }
}
    fragment DatasetVersionSummary on DatasetVersion {
  version
  rowCount
  format
  compression
  sizeBytes
  sha256
  createdAt
}
fragment DatasetVersionFields on DatasetVersion {
  id
  dataset {
    name
  }
  ...DatasetVersionSummary
  uri
  featureColumns
  labelColumn
  labels
  metadata
  createdBy
}`) as unknown as TypedDocumentString<RegisterDatasetVersionMutation, RegisterDatasetVersionMutationVariables>;
export const EvaluateDocument = new TypedDocumentString(`
    mutation Evaluate($input: EvaluateInput!) {
  evaluate(input: $input) {
    ...EvaluationFields
  }
}
    fragment EvaluationFields on Evaluation {
  id
  status
  createdAt
  createdBy
  startedAt
  finishedAt
  rowsDone
  rowsTotal
  error
  metrics
  latency
  throughput
  modelVersion {
    version
    model {
      name
      task
    }
  }
  datasetVersion {
    version
    rowCount
    labels
    dataset {
      name
    }
  }
}`) as unknown as TypedDocumentString<EvaluateMutation, EvaluateMutationVariables>;
export const EvaluationStatusDocument = new TypedDocumentString(`
    query EvaluationStatus($id: ID!) {
  evaluation(id: $id) {
    id
    status
    rowsDone
    rowsTotal
    error
  }
}
    `) as unknown as TypedDocumentString<EvaluationStatusQuery, EvaluationStatusQueryVariables>;
export const CreateEndpointDocument = new TypedDocumentString(`
    mutation CreateEndpoint($input: CreateEndpointInput!) {
  createEndpoint(input: $input) {
    ...EndpointFields
  }
}
    fragment EndpointFields on Endpoint {
  id
  name
  backend
  description
  options
  inferenceUrl
  createdAt
  variants {
    name
    role
    weight
    shadowSampleRate
    modelName
    version
  }
}`) as unknown as TypedDocumentString<CreateEndpointMutation, CreateEndpointMutationVariables>;
export const RolloutDetailDocument = new TypedDocumentString(`
    query RolloutDetail($id: ID!) {
  rollout(id: $id) {
    ...RolloutFields
    alarms {
      id
      name
      source
      state
      receivedAt
    }
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutLiveFields on RolloutLiveStatus {
  state
  step {
    ...RolloutStepFields
  }
  weights {
    ...TrafficWeightFields
  }
  paused
  awaitingApproval
  lastChecks {
    ...SloWindowFields
  }
  reason
}
fragment RolloutFields on Rollout {
  ...RolloutSummaryFields
  endpoint {
    name
  }
  createdBy
  startedAt
  workflowId
  policy
  evidence
  live {
    ...RolloutLiveFields
  }
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}`) as unknown as TypedDocumentString<RolloutDetailQuery, RolloutDetailQueryVariables>;
export const RolloutStateDocument = new TypedDocumentString(`
    query RolloutState($id: ID!) {
  rollout(id: $id) {
    id
    state
    reason
    createdBy
    live {
      awaitingApproval
      paused
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutStateQuery, RolloutStateQueryVariables>;
export const RolloutsDocument = new TypedDocumentString(`
    query Rollouts($endpoint: String!, $first: Int, $after: String) {
  rollouts(endpoint: $endpoint, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...RolloutSummaryFields
      }
    }
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<RolloutsQuery, RolloutsQueryVariables>;
export const RolloutEventsPageDocument = new TypedDocumentString(`
    query RolloutEventsPage($id: ID!, $first: Int, $after: String, $withDetail: Boolean = false) {
  rollout(id: $id) {
    id
    state
    reason
    events(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...RolloutEventFields
          detail @include(if: $withDetail)
        }
      }
    }
  }
}
    fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutVersionRefFields on RolloutVersionRef {
  modelVersionId
  modelName
  version
}
fragment GateResultFields on GateResult {
  passed
  skipped
  summary
  rules {
    rule
    passed
    actual
    threshold
    reason
  }
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}
fragment RollbackCauseFields on RollbackCause {
  kind
  description
  phase
  summary
  source
  name
  alarmId
  by
  reason
  message
}
fragment RolloutEventFields on RolloutEvent {
  seq
  type
  at
  payload {
    __typename
    ... on RolloutStartedEvent {
      candidate {
        ...RolloutVersionRefFields
      }
      baseline {
        ...RolloutVersionRefFields
      }
      initiatedBy
      stages
    }
    ... on RolloutContinuedEvent {
      run
      historyLength
    }
    ... on StateChangedEvent {
      state
      reason
      step {
        ...RolloutStepFields
      }
    }
    ... on GateEvaluatedEvent {
      gate {
        ...GateResultFields
      }
      candidateEvaluation {
        evaluationId
        status
      }
      baselineEvaluation {
        evaluationId
        status
      }
    }
    ... on TrafficAppliedEvent {
      stepKey
      variants {
        ...TrafficWeightFields
      }
      alreadyApplied
    }
    ... on SloWindowCheckedEvent {
      window {
        ...SloWindowFields
      }
      paused
    }
    ... on StepCompletedEvent {
      stepKey
      decision
      evidence {
        verdict
        hard
        comparison
        note
        summary
        checks {
          ...SloCheckFields
        }
        latency {
          ...LatencyComparisonFields
        }
      }
      maxSampleWaitSeconds
      by
      promoted {
        ...RolloutVersionRefFields
      }
      replaced {
        ...RolloutVersionRefFields
      }
    }
    ... on SignalReceivedEvent {
      signal
      receivedAt
      state
      action
      by
      reason
      source
      name
      alarmId
      summary
      awaitingApproval
    }
    ... on RollbackCompletedEvent {
      cause {
        ...RollbackCauseFields
      }
      reason
      variants {
        ...TrafficWeightFields
      }
      lastChecks {
        ...SloWindowFields
      }
      cleanupError
    }
    ... on CleanupFailedEvent {
      stepKey
      error
    }
    ... on RolloutFinishedEvent {
      state
      reason
      variants {
        ...TrafficWeightFields
      }
      cause {
        ...RollbackCauseFields
      }
      cleanupError
    }
    ... on UnrecognizedRolloutEvent {
      type
      detail
    }
  }
}`) as unknown as TypedDocumentString<RolloutEventsPageQuery, RolloutEventsPageQueryVariables>;
export const PromoteDocument = new TypedDocumentString(`
    mutation Promote($input: PromoteInput!) {
  promote(input: $input) {
    ...RolloutFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutLiveFields on RolloutLiveStatus {
  state
  step {
    ...RolloutStepFields
  }
  weights {
    ...TrafficWeightFields
  }
  paused
  awaitingApproval
  lastChecks {
    ...SloWindowFields
  }
  reason
}
fragment RolloutFields on Rollout {
  ...RolloutSummaryFields
  endpoint {
    name
  }
  createdBy
  startedAt
  workflowId
  policy
  evidence
  live {
    ...RolloutLiveFields
  }
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}`) as unknown as TypedDocumentString<PromoteMutation, PromoteMutationVariables>;
export const DeployModelVersionDocument = new TypedDocumentString(`
    mutation DeployModelVersion($input: PromoteInput!) {
  deployModelVersion(input: $input) {
    ...RolloutFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}
fragment RolloutStepFields on RolloutStep {
  key
  phase
  ordinal
  canaryStep
  canarySteps
  weight
  bakeSeconds
  bakedSeconds
}
fragment TrafficWeightFields on TrafficWeight {
  name
  role
  weight
  shadowSampleRate
}
fragment RolloutLiveFields on RolloutLiveStatus {
  state
  step {
    ...RolloutStepFields
  }
  weights {
    ...TrafficWeightFields
  }
  paused
  awaitingApproval
  lastChecks {
    ...SloWindowFields
  }
  reason
}
fragment RolloutFields on Rollout {
  ...RolloutSummaryFields
  endpoint {
    name
  }
  createdBy
  startedAt
  workflowId
  policy
  evidence
  live {
    ...RolloutLiveFields
  }
}
fragment SloCheckFields on SloCheck {
  check
  status
  passed
  hard
  actual
  threshold
  pValue
  detail
}
fragment LatencyComparisonFields on LatencyComparison {
  method
  source
  note
  u
  pValue
  exact
  shiftMs
  shiftRatio
  alpha
  minShiftMs
}
fragment VariantWindowStatsFields on VariantWindowStats {
  variant
  requests
  errors
  clientErrors
  p50Ms
  p95Ms
  p99Ms
  maxMs
  shadowSamples
  agreement
  source
  judgedRequests
  successes
  serverErrors
  errorRate
  medianMs
}
fragment SloWindowFields on SloWindow {
  at
  phase
  stepKey
  verdict
  hard
  comparison
  note
  summary
  checks {
    ...SloCheckFields
  }
  latency {
    ...LatencyComparisonFields
  }
  candidate {
    ...VariantWindowStatsFields
  }
  baseline {
    ...VariantWindowStatsFields
  }
  consecutiveFailures
  failureThreshold
  observedSeconds
  bakeSeconds
}`) as unknown as TypedDocumentString<DeployModelVersionMutation, DeployModelVersionMutationVariables>;
export const PromoteBriefDocument = new TypedDocumentString(`
    mutation PromoteBrief($input: PromoteInput!) {
  promote(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<PromoteBriefMutation, PromoteBriefMutationVariables>;
export const DeployModelVersionBriefDocument = new TypedDocumentString(`
    mutation DeployModelVersionBrief($input: PromoteInput!) {
  deployModelVersion(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<DeployModelVersionBriefMutation, DeployModelVersionBriefMutationVariables>;
export const ApproveRolloutDocument = new TypedDocumentString(`
    mutation ApproveRollout($input: RolloutControlInput!) {
  approveRollout(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<ApproveRolloutMutation, ApproveRolloutMutationVariables>;
export const PauseRolloutDocument = new TypedDocumentString(`
    mutation PauseRollout($input: RolloutControlInput!) {
  pauseRollout(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<PauseRolloutMutation, PauseRolloutMutationVariables>;
export const ResumeRolloutDocument = new TypedDocumentString(`
    mutation ResumeRollout($input: RolloutControlInput!) {
  resumeRollout(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<ResumeRolloutMutation, ResumeRolloutMutationVariables>;
export const AbortRolloutDocument = new TypedDocumentString(`
    mutation AbortRollout($input: RolloutControlInput!) {
  abortRollout(input: $input) {
    ...RolloutSummaryFields
  }
}
    fragment VersionName on ModelVersion {
  version
  model {
    name
  }
}
fragment RolloutSummaryFields on Rollout {
  id
  state
  currentStep
  reason
  createdAt
  finishedAt
  candidate {
    ...VersionName
  }
  baseline {
    ...VersionName
  }
}`) as unknown as TypedDocumentString<AbortRolloutMutation, AbortRolloutMutationVariables>;
export const RaiseAlarmDocument = new TypedDocumentString(`
    mutation RaiseAlarm($input: RaiseAlarmInput!) {
  raiseAlarm(input: $input) {
    ...AlarmFields
  }
}
    fragment AlarmFields on Alarm {
  id
  name
  source
  state
  fingerprint
  rolloutId
  receivedAt
  payload
}`) as unknown as TypedDocumentString<RaiseAlarmMutation, RaiseAlarmMutationVariables>;
export const AlarmsDocument = new TypedDocumentString(`
    query Alarms($first: Int!, $after: String, $endpoint: String, $state: AlarmState, $source: String) {
  alarms(
    first: $first
    after: $after
    endpoint: $endpoint
    state: $state
    source: $source
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...AlarmFields
        endpoint {
          name
        }
      }
    }
  }
}
    fragment AlarmFields on Alarm {
  id
  name
  source
  state
  fingerprint
  rolloutId
  receivedAt
  payload
}`) as unknown as TypedDocumentString<AlarmsQuery, AlarmsQueryVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    name
    role
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const HealthDocument = new TypedDocumentString(`
    query Health {
  health {
    status
  }
}
    `) as unknown as TypedDocumentString<HealthQuery, HealthQueryVariables>;
export const ViewerKeyDocument = new TypedDocumentString(`
    query ViewerKey {
  viewer {
    id
    name
    role
  }
}
    `) as unknown as TypedDocumentString<ViewerKeyQuery, ViewerKeyQueryVariables>;