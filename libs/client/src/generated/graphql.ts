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

export type UploadKind =
  | 'DATASET'
  | 'MODEL';

export type AuditEventsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  actor?: string | null | undefined;
  subjectType?: string | null | undefined;
  subjectId?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, at: string, actor: string, action: string, subjectType: string, subjectId: string, before: unknown, after: unknown } }> } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, role: Role, lookupId: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, role: Role } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type DatasetsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DatasetsPageQuery = { datasets: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, owner: string, description: string, createdAt: string, versions: { totalCount: number, edges: Array<{ node: { version: number, rowCount: number, createdAt: string } }> } } }> } };

export type DatasetDetailQueryVariables = Exact<{
  name: string;
  first: number;
  after?: string | null | undefined;
}>;


export type DatasetDetailQuery = { dataset: { id: string, name: string, owner: string, description: string, createdAt: string, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, format: DatasetFormat, compression: DatasetCompression, rowCount: number, sizeBytes: number, sha256: string, uri: string, featureColumns: Array<string>, labelColumn: string, labels: Array<string>, metadata: unknown, createdAt: string, createdBy: string } }> } } | null };

export type EndpointsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type EndpointsPageQuery = { endpoints: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, backend: EndpointBackend, description: string, variants: Array<{ name: string, role: string, weight: number }>, activeRollout: { id: string, state: RolloutState } | null } }> } };

export type EndpointDetailQueryVariables = Exact<{
  name: string;
}>;


export type EndpointDetailQuery = { endpoint: { id: string, name: string, backend: EndpointBackend, description: string, createdAt: string, options: unknown, inferenceUrl: string | null, variants: Array<{ name: string, role: string, weight: number, shadowSampleRate: number, modelName: string, version: number }>, activeRollout: { id: string, state: RolloutState, currentStep: number, createdAt: string, createdBy: string, candidate: { version: number, model: { name: string } } } | null, alarms: Array<{ id: string, name: string, source: string, state: string, receivedAt: string, rolloutId: string | null }> } | null, rollouts: { totalCount: number, edges: Array<{ node: { id: string, state: RolloutState, reason: string | null, createdAt: string, finishedAt: string | null, createdBy: string, candidate: { version: number, model: { name: string } } } }> } };

export type EndpointLiveStatsQueryVariables = Exact<{
  name: string;
  windowSeconds: number;
}>;


export type EndpointLiveStatsQuery = { endpoint: { name: string, liveStats: { at: string, windowSeconds: number, variants: Array<{ variant: string, role: string, weight: number, requests: number, requestsPerSecond: number, errors: number, clientErrors: number, errorRate: number, p50Ms: number, p95Ms: number, p99Ms: number, shadowSamples: number, agreement: number | null }> } } | null };

export type ModelsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ModelsFilter | null | undefined;
}>;


export type ModelsPageQuery = { models: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, task: ModelTask, modality: Modality, owner: string, updatedAt: string, aliases: Array<{ name: string, version: number }>, latestVersion: { version: number, status: ModelVersionStatus, createdAt: string } | null } }> } };

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

export type CreateModelMutationVariables = Exact<{
  input: CreateModelInput;
}>;


export type CreateModelMutation = { createModel: { id: string, name: string } };

export type CreateUploadMutationVariables = Exact<{
  input: CreateUploadInput;
}>;


export type CreateUploadMutation = { createUpload: { id: string, url: string, maxBytes: number, expiresAt: string } };

export type RegisterModelVersionMutationVariables = Exact<{
  input: RegisterModelVersionInput;
}>;


export type RegisterModelVersionMutation = { registerModelVersion: { id: string, version: number, sha256: string } };

export type SetModelAliasMutationVariables = Exact<{
  input: SetModelAliasInput;
}>;


export type SetModelAliasMutation = { setModelAlias: { name: string, version: number } };

export type CreateDatasetMutationVariables = Exact<{
  input: CreateDatasetInput;
}>;


export type CreateDatasetMutation = { createDataset: { id: string, name: string } };

export type RegisterDatasetVersionMutationVariables = Exact<{
  input: RegisterDatasetVersionInput;
}>;


export type RegisterDatasetVersionMutation = { registerDatasetVersion: { id: string, version: number, rowCount: number } };

export type EvaluateMutationVariables = Exact<{
  input: EvaluateInput;
}>;


export type EvaluateMutation = { evaluate: { id: string, status: EvaluationStatus } };

export type EvaluationStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type EvaluationStatusQuery = { evaluation: { id: string, status: EvaluationStatus, rowsDone: number, rowsTotal: number | null, error: string | null } };

export type CreateEndpointMutationVariables = Exact<{
  input: CreateEndpointInput;
}>;


export type CreateEndpointMutation = { createEndpoint: { id: string, name: string } };

export type RolloutDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutDetailQuery = { rollout: { id: string, state: RolloutState, currentStep: number, reason: string | null, policy: unknown, evidence: unknown, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, workflowId: string | null, endpoint: { name: string }, candidate: { version: number, model: { name: string } }, baseline: { version: number, model: { name: string } } | null, events: Array<{ seq: number, type: string, at: string, detail: unknown }>, live: { state: RolloutState, step: unknown, paused: boolean, awaitingApproval: boolean, lastChecks: unknown, reason: string | null, weights: Array<{ name: string, role: string, weight: number, shadowSampleRate: number }> } | null, alarms: Array<{ id: string, name: string, source: string, state: string, receivedAt: string }> } };

export type RolloutStateQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutStateQuery = { rollout: { id: string, state: RolloutState, reason: string | null, live: { awaitingApproval: boolean, paused: boolean } | null } };

export type PromoteMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type PromoteMutation = { promote: { id: string, state: RolloutState } };

export type DeployModelVersionMutationVariables = Exact<{
  input: PromoteInput;
}>;


export type DeployModelVersionMutation = { deployModelVersion: { id: string, state: RolloutState } };

export type ApproveRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type ApproveRolloutMutation = { approveRollout: { id: string, state: RolloutState } };

export type PauseRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type PauseRolloutMutation = { pauseRollout: { id: string, state: RolloutState } };

export type ResumeRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type ResumeRolloutMutation = { resumeRollout: { id: string, state: RolloutState } };

export type AbortRolloutMutationVariables = Exact<{
  input: RolloutControlInput;
}>;


export type AbortRolloutMutation = { abortRollout: { id: string, state: RolloutState } };

export type RaiseAlarmMutationVariables = Exact<{
  input: RaiseAlarmInput;
}>;


export type RaiseAlarmMutation = { raiseAlarm: Array<{ id: string, name: string, state: string, rolloutId: string | null }> };

export type AlarmsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  endpoint?: string | null | undefined;
  state?: AlarmState | null | undefined;
  source?: string | null | undefined;
}>;


export type AlarmsQuery = { alarms: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, source: string, state: string, fingerprint: string, payload: unknown, receivedAt: string, rolloutId: string | null, endpoint: { name: string } } }> } };

export type RolloutEventsQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutEventsQuery = { rollout: { id: string, state: RolloutState, events: Array<{ seq: number, type: string, at: string }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { name: string, role: Role } };

export type HealthQueryVariables = Exact<{ [key: string]: never; }>;


export type HealthQuery = { health: { status: string } };

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
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($first: Int!, $after: String, $actor: String, $subjectType: String, $subjectId: String) {
  auditEvents(
    first: $first
    after: $after
    actor: $actor
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
    id
    name
    role
    lookupId
    createdAt
    lastUsedAt
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
      name
      role
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const DatasetsPageDocument = new TypedDocumentString(`
    query DatasetsPage($first: Int!, $after: String) {
  datasets(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        owner
        description
        createdAt
        versions(first: 1) {
          totalCount
          edges {
            node {
              version
              rowCount
              createdAt
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetsPageQuery, DatasetsPageQueryVariables>;
export const DatasetDetailDocument = new TypedDocumentString(`
    query DatasetDetail($name: String!, $first: Int!, $after: String) {
  dataset(name: $name) {
    id
    name
    owner
    description
    createdAt
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
          format
          compression
          rowCount
          sizeBytes
          sha256
          uri
          featureColumns
          labelColumn
          labels
          metadata
          createdAt
          createdBy
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetDetailQuery, DatasetDetailQueryVariables>;
export const EndpointsPageDocument = new TypedDocumentString(`
    query EndpointsPage($first: Int!, $after: String) {
  endpoints(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        backend
        description
        variants {
          name
          role
          weight
        }
        activeRollout {
          id
          state
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EndpointsPageQuery, EndpointsPageQueryVariables>;
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
    query ModelsPage($first: Int!, $after: String, $filter: ModelsFilter) {
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
    `) as unknown as TypedDocumentString<ModelsPageQuery, ModelsPageQueryVariables>;
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
      a
      b
      delta
      improved
    }
    perClass {
      label
      precision {
        a
        b
        delta
        improved
      }
      recall {
        a
        b
        delta
        improved
      }
      f1 {
        a
        b
        delta
        improved
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
}`) as unknown as TypedDocumentString<CompareEvaluationsQuery, CompareEvaluationsQueryVariables>;
export const CreateModelDocument = new TypedDocumentString(`
    mutation CreateModel($input: CreateModelInput!) {
  createModel(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateModelMutation, CreateModelMutationVariables>;
export const CreateUploadDocument = new TypedDocumentString(`
    mutation CreateUpload($input: CreateUploadInput!) {
  createUpload(input: $input) {
    id
    url
    maxBytes
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<CreateUploadMutation, CreateUploadMutationVariables>;
export const RegisterModelVersionDocument = new TypedDocumentString(`
    mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) {
    id
    version
    sha256
  }
}
    `) as unknown as TypedDocumentString<RegisterModelVersionMutation, RegisterModelVersionMutationVariables>;
export const SetModelAliasDocument = new TypedDocumentString(`
    mutation SetModelAlias($input: SetModelAliasInput!) {
  setModelAlias(input: $input) {
    name
    version
  }
}
    `) as unknown as TypedDocumentString<SetModelAliasMutation, SetModelAliasMutationVariables>;
export const CreateDatasetDocument = new TypedDocumentString(`
    mutation CreateDataset($input: CreateDatasetInput!) {
  createDataset(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateDatasetMutation, CreateDatasetMutationVariables>;
export const RegisterDatasetVersionDocument = new TypedDocumentString(`
    mutation RegisterDatasetVersion($input: RegisterDatasetVersionInput!) {
  registerDatasetVersion(input: $input) {
    id
    version
    rowCount
  }
}
    `) as unknown as TypedDocumentString<RegisterDatasetVersionMutation, RegisterDatasetVersionMutationVariables>;
export const EvaluateDocument = new TypedDocumentString(`
    mutation Evaluate($input: EvaluateInput!) {
  evaluate(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<EvaluateMutation, EvaluateMutationVariables>;
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
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateEndpointMutation, CreateEndpointMutationVariables>;
export const RolloutDetailDocument = new TypedDocumentString(`
    query RolloutDetail($id: ID!) {
  rollout(id: $id) {
    id
    state
    currentStep
    reason
    policy
    evidence
    createdBy
    createdAt
    startedAt
    finishedAt
    workflowId
    endpoint {
      name
    }
    candidate {
      version
      model {
        name
      }
    }
    baseline {
      version
      model {
        name
      }
    }
    events {
      seq
      type
      at
      detail
    }
    live {
      state
      step
      weights {
        name
        role
        weight
        shadowSampleRate
      }
      paused
      awaitingApproval
      lastChecks
      reason
    }
    alarms {
      id
      name
      source
      state
      receivedAt
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutDetailQuery, RolloutDetailQueryVariables>;
export const RolloutStateDocument = new TypedDocumentString(`
    query RolloutState($id: ID!) {
  rollout(id: $id) {
    id
    state
    reason
    live {
      awaitingApproval
      paused
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutStateQuery, RolloutStateQueryVariables>;
export const PromoteDocument = new TypedDocumentString(`
    mutation Promote($input: PromoteInput!) {
  promote(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<PromoteMutation, PromoteMutationVariables>;
export const DeployModelVersionDocument = new TypedDocumentString(`
    mutation DeployModelVersion($input: PromoteInput!) {
  deployModelVersion(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<DeployModelVersionMutation, DeployModelVersionMutationVariables>;
export const ApproveRolloutDocument = new TypedDocumentString(`
    mutation ApproveRollout($input: RolloutControlInput!) {
  approveRollout(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ApproveRolloutMutation, ApproveRolloutMutationVariables>;
export const PauseRolloutDocument = new TypedDocumentString(`
    mutation PauseRollout($input: RolloutControlInput!) {
  pauseRollout(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<PauseRolloutMutation, PauseRolloutMutationVariables>;
export const ResumeRolloutDocument = new TypedDocumentString(`
    mutation ResumeRollout($input: RolloutControlInput!) {
  resumeRollout(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ResumeRolloutMutation, ResumeRolloutMutationVariables>;
export const AbortRolloutDocument = new TypedDocumentString(`
    mutation AbortRollout($input: RolloutControlInput!) {
  abortRollout(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<AbortRolloutMutation, AbortRolloutMutationVariables>;
export const RaiseAlarmDocument = new TypedDocumentString(`
    mutation RaiseAlarm($input: RaiseAlarmInput!) {
  raiseAlarm(input: $input) {
    id
    name
    state
    rolloutId
  }
}
    `) as unknown as TypedDocumentString<RaiseAlarmMutation, RaiseAlarmMutationVariables>;
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
        id
        name
        source
        state
        fingerprint
        payload
        receivedAt
        rolloutId
        endpoint {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AlarmsQuery, AlarmsQueryVariables>;
export const RolloutEventsDocument = new TypedDocumentString(`
    query RolloutEvents($id: ID!) {
  rollout(id: $id) {
    id
    state
    events {
      seq
      type
      at
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutEventsQuery, RolloutEventsQueryVariables>;
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