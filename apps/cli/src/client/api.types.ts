// Result and input shapes of the GraphQL operations the CLI sends (see operations.ts); they mirror
// apps/api's schema for exactly the fields selected there.

// GraphQL enums travel as their upper-case names; the CLI's options take them in lower case.
export type ModelTask = 'CLASSIFICATION' | 'REGRESSION';
export type Modality = 'IMAGE' | 'TEXT' | 'TABULAR';
export type Role = 'VIEWER' | 'SCIENTIST' | 'ENGINEER' | 'ADMIN' | 'ALERTS';
export type UploadKind = 'MODEL' | 'DATASET';
export type DatasetFormat = 'JSONL' | 'CSV';
export type DatasetCompression = 'NONE' | 'GZIP';

export type Json = Record<string, unknown>;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface Page {
  first?: number;
  after?: string | null;
}

export interface Viewer {
  name: string;
  role: Role;
}

export interface TensorSpec {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface ModelAlias {
  name: string;
  version: number;
}

export interface VersionSummary {
  version: number;
  status: string;
  sha256: string;
  sizeBytes: number;
  createdBy: string;
  createdAt: string;
  aliases: string[];
}

export interface Model {
  id: string;
  name: string;
  task: ModelTask;
  modality: Modality;
  description: string;
  owner: string;
  createdAt: string;
  aliases: ModelAlias[];
  latestVersion: VersionSummary | null;
}

export interface ModelWithVersions extends Model {
  versions: Connection<VersionSummary>;
}

export interface DatasetVersionRef {
  dataset: string;
  version: number;
}

export interface Evaluation {
  id: string;
  status: string;
  metrics: Json | null;
  createdAt: string;
}

export interface Placement {
  endpoint: string;
  role: string;
  weight: number;
}

export interface ModelVersion {
  id: string;
  model: { name: string };
  version: number;
  artifactUri: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  status: string;
  description: string;
  metadata: Json;
  createdBy: string;
  createdAt: string;
  signature: ModelSignature;
  prediction: PredictionSpec | null;
  aliases: string[];
  trainingDataset: { version: number; dataset: { name: string } } | null;
  evaluations: Evaluation[];
  endpoints: Placement[];
}

export interface CreateModelInput {
  name: string;
  task: ModelTask;
  modality: Modality;
  description?: string;
}

export interface ModelsFilter {
  nameContains?: string;
  task?: ModelTask;
  modality?: Modality;
}

export interface RegisterModelVersionInput {
  model: string;
  uploadId: string;
  description?: string;
  metadata?: Json;
  trainingDataset?: DatasetVersionRef;
  prediction?: { output?: string; scores?: ScoreType };
}

export type ScoreType = 'PROBABILITIES' | 'LOGITS';

/** What a version predicts (see the API's PredictionSpec). */
export interface PredictionSpec {
  output: string;
  kind: 'CLASS_LABEL' | 'CLASS_SCORES' | 'REGRESSION';
  classes: string[] | null;
  classSource: string | null;
  scoresOutput: string | null;
  scores: ScoreType | null;
  scoresSource: string | null;
}

export interface Dataset {
  id: string;
  name: string;
  description: string;
  owner: string;
  createdAt: string;
  versions: { totalCount: number; edges: { node: DatasetVersionSummary }[] };
}

export interface DatasetVersionSummary {
  version: number;
  rowCount: number;
  format: DatasetFormat;
  compression: DatasetCompression;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface DatasetWithVersions extends Omit<Dataset, 'versions'> {
  versions: Connection<DatasetVersionSummary>;
}

export interface DatasetVersion extends DatasetVersionSummary {
  id: string;
  dataset: { name: string };
  uri: string;
  featureColumns: string[];
  labelColumn: string;
  labels: string[];
  metadata: Json;
  createdBy: string;
}

export interface CreateDatasetInput {
  name: string;
  description?: string;
}

export interface RegisterDatasetVersionInput {
  dataset: string;
  uploadId: string;
  format: DatasetFormat;
  compression?: DatasetCompression;
  featureColumns: string[];
  labelColumn: string;
  metadata?: Json;
}

export interface Upload {
  id: string;
  kind: UploadKind;
  status: string;
  url: string;
  maxBytes: number;
  sha256: string | null;
  sizeBytes: number | null;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  lookupId: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

export type EvaluationStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** The `metrics` JSON of an evaluation (classification or regression). */
export interface EvaluationMetrics {
  kind: 'classification' | 'regression';
  rows: number;
  accuracy?: number;
  macroF1?: number;
  weightedF1?: number;
  logLoss?: number;
  ece?: number;
  topK?: Record<string, number>;
  perClass?: ClassMetrics[];
  confusionMatrix?: number[][];
  mae?: number;
  rmse?: number;
  r2?: number;
}

export interface EvaluationDetail {
  id: string;
  status: EvaluationStatus;
  rowsDone: number;
  rowsTotal: number | null;
  metrics: EvaluationMetrics | null;
  throughput: number | null;
  latency: { p50Ms?: number; p95Ms?: number; p99Ms?: number; run?: Record<string, number> } | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  modelVersion: { version: number; model: { name: string } };
  datasetVersion: { version: number; dataset: { name: string } };
}

export interface MetricDelta {
  a: number;
  b: number;
  delta: number;
  /** Whether b is better than a, given the direction of the metric. */
  improved: boolean;
}

export interface EvaluationComparison {
  a: EvaluationDetail;
  b: EvaluationDetail;
  metrics: (MetricDelta & { metric: string })[];
  perClass: { label: string; precision: MetricDelta; recall: MetricDelta; f1: MetricDelta }[];
}

export interface EvaluateInput {
  model: string;
  version: number;
  dataset: string;
  datasetVersion: number;
}

export type EndpointBackend = 'LOCAL' | 'SAGEMAKER';
export type RolloutState =
  | 'PENDING'
  | 'GATING'
  | 'SHADOW'
  | 'CANARY'
  | 'PROMOTING'
  | 'ROLLING_BACK'
  | 'SUCCEEDED'
  | 'REJECTED'
  | 'ROLLED_BACK'
  | 'ABORTED'
  | 'FAILED';

export interface Alarm {
  id: string;
  name: string;
  source: string;
  state: string;
  fingerprint: string;
  rolloutId: string | null;
  receivedAt: string;
  payload: Json;
}

export interface EndpointVariant {
  name: string;
  role: string;
  weight: number;
  shadowSampleRate: number;
  modelName: string;
  version: number;
}

export interface RolloutSummary {
  id: string;
  state: RolloutState;
  currentStep: number;
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
  candidate: { version: number; model: { name: string } };
  baseline: { version: number; model: { name: string } } | null;
}

export interface Endpoint {
  id: string;
  name: string;
  backend: EndpointBackend;
  description: string;
  options: Json;
  inferenceUrl: string | null;
  createdAt: string;
  variants: EndpointVariant[];
}

export interface EndpointDetail extends Endpoint {
  activeRollout: RolloutSummary | null;
  alarms: Alarm[];
}

export interface CreateEndpointInput {
  name: string;
  backend?: EndpointBackend;
  options?: Json;
  description?: string;
}

export interface RolloutEvent {
  seq: number;
  type: string;
  at: string;
  detail: Json;
}

export interface TrafficWeight {
  name: string;
  role: string;
  weight: number;
}

/** The workflow's current step (`RolloutStepStatus` of workflows/src/contracts/rollout.contract.ts). */
export interface RolloutStep {
  key: string;
  phase: string;
  ordinal: number;
  canaryStep: number | null;
  canarySteps: number;
  weight: number | null;
  bakeSeconds: number;
  bakedSeconds: number;
}

export interface RolloutLive {
  state: RolloutState;
  step: RolloutStep | null;
  paused: boolean;
  awaitingApproval: boolean;
  reason: string | null;
  weights: TrafficWeight[];
  lastChecks: unknown;
}

export interface Rollout extends RolloutSummary {
  endpoint: { name: string };
  createdBy: string;
  startedAt: string | null;
  policy: Json;
  evidence: Json;
  events: RolloutEvent[];
  live: RolloutLive | null;
}

export interface PromoteInput {
  endpoint: string;
  model: string;
  version: number;
  policy?: Json;
}

export interface RolloutControlInput {
  endpoint: string;
  reason?: string;
}

export interface RaiseAlarmInput {
  endpoint: string;
  name: string;
  summary?: string;
  firing?: boolean;
}
