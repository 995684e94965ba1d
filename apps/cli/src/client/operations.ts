// Every GraphQL operation the CLI sends. Result types are in api.types.ts.

const VERSION_SUMMARY = /* GraphQL */ `
  fragment VersionSummary on ModelVersion {
    version
    status
    sha256
    sizeBytes
    createdBy
    createdAt
    aliases
  }
`;

const MODEL = /* GraphQL */ `
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
  ${VERSION_SUMMARY}
`;

const MODEL_VERSION = /* GraphQL */ `
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
`;

const DATASET_VERSION_SUMMARY = /* GraphQL */ `
  fragment DatasetVersionSummary on DatasetVersion {
    version
    rowCount
    format
    compression
    sizeBytes
    sha256
    createdAt
  }
`;

const DATASET_VERSION = /* GraphQL */ `
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
  ${DATASET_VERSION_SUMMARY}
`;

const DATASET = /* GraphQL */ `
  fragment DatasetFields on Dataset {
    id
    name
    description
    owner
    createdAt
  }
`;

const UPLOAD = /* GraphQL */ `
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
`;

const API_KEY = /* GraphQL */ `
  fragment ApiKeyFields on ApiKey {
    id
    name
    role
    lookupId
    createdAt
    revokedAt
    lastUsedAt
  }
`;

const PAGE_INFO = /* GraphQL */ `
  fragment PageInfoFields on PageInfo {
    hasNextPage
    endCursor
  }
`;

export const VIEWER = /* GraphQL */ `
  query Viewer {
    viewer {
      name
      role
    }
  }
`;

export const CREATE_MODEL = /* GraphQL */ `
  mutation CreateModel($input: CreateModelInput!) {
    createModel(input: $input) {
      ...ModelFields
    }
  }
  ${MODEL}
`;

export const MODEL_WITH_VERSIONS = /* GraphQL */ `
  query Model($name: String!, $first: Int) {
    model(name: $name) {
      ...ModelFields
      versions(first: $first) {
        totalCount
        pageInfo {
          ...PageInfoFields
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
  ${MODEL}
  ${PAGE_INFO}
`;

export const MODELS = /* GraphQL */ `
  query Models($first: Int, $after: String, $filter: ModelsFilter) {
    models(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      edges {
        cursor
        node {
          ...ModelFields
        }
      }
    }
  }
  ${MODEL}
  ${PAGE_INFO}
`;

export const MODEL_VERSION_QUERY = /* GraphQL */ `
  query ModelVersion($model: String!, $version: Int!) {
    modelVersion(model: $model, version: $version) {
      ...ModelVersionFields
    }
  }
  ${MODEL_VERSION}
`;

export const REGISTER_MODEL_VERSION = /* GraphQL */ `
  mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) {
      ...ModelVersionFields
    }
  }
  ${MODEL_VERSION}
`;

export const SET_MODEL_ALIAS = /* GraphQL */ `
  mutation SetModelAlias($input: SetModelAliasInput!) {
    setModelAlias(input: $input) {
      name
      version
    }
  }
`;

export const ARCHIVE_MODEL_VERSION = /* GraphQL */ `
  mutation ArchiveModelVersion($input: ModelVersionRefInput!) {
    archiveModelVersion(input: $input) {
      ...ModelVersionFields
    }
  }
  ${MODEL_VERSION}
`;

export const CREATE_DATASET = /* GraphQL */ `
  mutation CreateDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) {
      ...DatasetFields
    }
  }
  ${DATASET}
`;

export const DATASET_WITH_VERSIONS = /* GraphQL */ `
  query Dataset($name: String!, $first: Int) {
    dataset(name: $name) {
      ...DatasetFields
      versions(first: $first) {
        totalCount
        pageInfo {
          ...PageInfoFields
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
  ${DATASET}
  ${DATASET_VERSION_SUMMARY}
  ${PAGE_INFO}
`;

export const DATASETS = /* GraphQL */ `
  query Datasets($first: Int, $after: String) {
    datasets(first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageInfoFields
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
  ${DATASET}
  ${DATASET_VERSION_SUMMARY}
  ${PAGE_INFO}
`;

export const DATASET_VERSION_QUERY = /* GraphQL */ `
  query DatasetVersion($dataset: String!, $version: Int!) {
    datasetVersion(dataset: $dataset, version: $version) {
      ...DatasetVersionFields
    }
  }
  ${DATASET_VERSION}
`;

export const REGISTER_DATASET_VERSION = /* GraphQL */ `
  mutation RegisterDatasetVersion($input: RegisterDatasetVersionInput!) {
    registerDatasetVersion(input: $input) {
      ...DatasetVersionFields
    }
  }
  ${DATASET_VERSION}
`;

export const CREATE_UPLOAD = /* GraphQL */ `
  mutation CreateUpload($input: CreateUploadInput!) {
    createUpload(input: $input) {
      ...UploadFields
    }
  }
  ${UPLOAD}
`;

export const API_KEYS = /* GraphQL */ `
  query ApiKeys {
    apiKeys {
      ...ApiKeyFields
    }
  }
  ${API_KEY}
`;

export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        ...ApiKeyFields
      }
      secret
    }
  }
  ${API_KEY}
`;

export const REVOKE_API_KEY = /* GraphQL */ `
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      ...ApiKeyFields
    }
  }
  ${API_KEY}
`;

const EVALUATION = /* GraphQL */ `
  fragment EvaluationFields on Evaluation {
    id
    status
    rowsDone
    rowsTotal
    metrics
    throughput
    latency
    error
    createdBy
    createdAt
    startedAt
    finishedAt
    modelVersion {
      version
      model {
        name
      }
    }
    datasetVersion {
      version
      dataset {
        name
      }
    }
  }
`;

export const EVALUATE = /* GraphQL */ `
  mutation Evaluate($input: EvaluateInput!) {
    evaluate(input: $input) {
      ...EvaluationFields
    }
  }
  ${EVALUATION}
`;

export const EVALUATION_QUERY = /* GraphQL */ `
  query Evaluation($id: ID!) {
    evaluation(id: $id) {
      ...EvaluationFields
    }
  }
  ${EVALUATION}
`;

/** Every evaluation of a model version, newest first (to find one by dataset). */
export const MODEL_VERSION_EVALUATIONS = /* GraphQL */ `
  query ModelVersionEvaluations($model: String!, $version: Int!) {
    modelVersion(model: $model, version: $version) {
      evaluations {
        ...EvaluationFields
      }
    }
  }
  ${EVALUATION}
`;

const METRIC_DELTA = /* GraphQL */ `
  fragment MetricDeltaFields on MetricDelta {
    a
    b
    delta
    improved
  }
`;

export const COMPARE_EVALUATIONS = /* GraphQL */ `
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
  ${EVALUATION}
  ${METRIC_DELTA}
`;

const ROLLOUT_SUMMARY = /* GraphQL */ `
  fragment RolloutSummaryFields on Rollout {
    id
    state
    currentStep
    reason
    createdAt
    finishedAt
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
  }
`;

const ALARM = /* GraphQL */ `
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
`;

const ENDPOINT = /* GraphQL */ `
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
`;

const ROLLOUT = /* GraphQL */ `
  fragment RolloutFields on Rollout {
    ...RolloutSummaryFields
    endpoint {
      name
    }
    createdBy
    startedAt
    policy
    evidence
    events {
      seq
      type
      at
      detail
    }
    live {
      state
      step
      paused
      awaitingApproval
      reason
      weights {
        name
        role
        weight
      }
      lastChecks
    }
  }
  ${ROLLOUT_SUMMARY}
`;

export const CREATE_ENDPOINT = /* GraphQL */ `
  mutation CreateEndpoint($input: CreateEndpointInput!) {
    createEndpoint(input: $input) {
      ...EndpointFields
    }
  }
  ${ENDPOINT}
`;

export const ENDPOINT_QUERY = /* GraphQL */ `
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
  ${ENDPOINT}
  ${ROLLOUT_SUMMARY}
  ${ALARM}
`;

export const ENDPOINTS = /* GraphQL */ `
  query Endpoints($first: Int, $after: String) {
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
        }
      }
    }
  }
  ${ENDPOINT}
`;

export const DEPLOY_MODEL_VERSION = /* GraphQL */ `
  mutation DeployModelVersion($input: PromoteInput!) {
    deployModelVersion(input: $input) {
      ...RolloutFields
    }
  }
  ${ROLLOUT}
`;

export const PROMOTE = /* GraphQL */ `
  mutation Promote($input: PromoteInput!) {
    promote(input: $input) {
      ...RolloutFields
    }
  }
  ${ROLLOUT}
`;

export const ROLLOUT_QUERY = /* GraphQL */ `
  query Rollout($id: ID!) {
    rollout(id: $id) {
      ...RolloutFields
    }
  }
  ${ROLLOUT}
`;

export const ROLLOUTS = /* GraphQL */ `
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
  ${ROLLOUT_SUMMARY}
`;

export const ABORT_ROLLOUT = /* GraphQL */ `
  mutation AbortRollout($input: RolloutControlInput!) {
    abortRollout(input: $input) {
      ...RolloutSummaryFields
    }
  }
  ${ROLLOUT_SUMMARY}
`;

export const PAUSE_ROLLOUT = /* GraphQL */ `
  mutation PauseRollout($input: RolloutControlInput!) {
    pauseRollout(input: $input) {
      ...RolloutSummaryFields
    }
  }
  ${ROLLOUT_SUMMARY}
`;

export const RESUME_ROLLOUT = /* GraphQL */ `
  mutation ResumeRollout($input: RolloutControlInput!) {
    resumeRollout(input: $input) {
      ...RolloutSummaryFields
    }
  }
  ${ROLLOUT_SUMMARY}
`;

export const APPROVE_ROLLOUT = /* GraphQL */ `
  mutation ApproveRollout($input: RolloutControlInput!) {
    approveRollout(input: $input) {
      ...RolloutSummaryFields
    }
  }
  ${ROLLOUT_SUMMARY}
`;

export const RAISE_ALARM = /* GraphQL */ `
  mutation RaiseAlarm($input: RaiseAlarmInput!) {
    raiseAlarm(input: $input) {
      ...AlarmFields
    }
  }
  ${ALARM}
`;
