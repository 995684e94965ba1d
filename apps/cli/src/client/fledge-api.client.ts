import { type Secret } from '@fledge/config';
import { FledgeError } from '@fledge/errors';

import {
  errorFromGraphql,
  errorFromHttp,
  errorFromNetwork,
  unexpectedResponse,
  type GraphqlErrorPayload,
} from './api-error.js';
import {
  type Alarm,
  type ApiKey,
  type Connection,
  type CreateDatasetInput,
  type CreateEndpointInput,
  type CreatedApiKey,
  type CreateModelInput,
  type Dataset,
  type DatasetVersion,
  type DatasetWithVersions,
  type Endpoint,
  type EndpointDetail,
  type EvaluateInput,
  type EvaluationComparison,
  type EvaluationDetail,
  type Model,
  type ModelAlias,
  type ModelsFilter,
  type ModelVersion,
  type ModelWithVersions,
  type Page,
  type PromoteInput,
  type RaiseAlarmInput,
  type Rollout,
  type RolloutControlInput,
  type RolloutSummary,
  type RegisterDatasetVersionInput,
  type RegisterModelVersionInput,
  type Upload,
  type UploadKind,
  type Role,
  type Viewer,
} from './api.types.js';
import * as op from './operations.js';

export type RolloutAction = 'abort' | 'pause' | 'resume' | 'approve';

const controlOperations: Record<RolloutAction, string> = {
  abort: op.ABORT_ROLLOUT,
  pause: op.PAUSE_ROLLOUT,
  resume: op.RESUME_ROLLOUT,
  approve: op.APPROVE_ROLLOUT,
};

export interface ApiTarget {
  /** Base URL of the API, without `/graphql`. */
  url: string;
  key: Secret | undefined;
}

export interface FledgeApiClientOptions {
  fetch?: typeof fetch;
  /** Deadline of one GraphQL request (registration inspects the model, so it is generous). */
  timeoutMs?: number;
}

export interface UploadBody {
  stream: ReadableStream<Uint8Array>;
  sizeBytes: number;
}

/** Typed access to the Fledge GraphQL API and its upload endpoint; every failure is a FledgeError. */
export class FledgeApiClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly target: ApiTarget,
    options: FledgeApiClientOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  get url(): string {
    return this.target.url;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const url = `${this.target.url}/graphql`;
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.authorization() },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      throw errorFromNetwork(error, this.target.url);
    }
    const { data, errors } = (body ?? {}) as { data?: T | null; errors?: GraphqlErrorPayload[] };
    if (Array.isArray(errors) && errors.length > 0) throw errorFromGraphql(errors);
    if (!response.ok || data === undefined || data === null) throw unexpectedResponse(response.status, url);
    return data;
  }

  /** Streams a file's bytes to an upload created by createUpload; answers the completed upload. */
  async putUpload(path: string, body: UploadBody): Promise<Upload> {
    const url = new URL(path, `${this.target.url}/`).href;
    let response: Response;
    let payload: unknown;
    try {
      response = await this.fetch(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(body.sizeBytes),
          ...this.authorization(),
        },
        body: body.stream,
        duplex: 'half',
      } as RequestInit);
      payload = await response.json().catch(() => undefined);
    } catch (error) {
      throw errorFromNetwork(error, this.target.url);
    }
    if (!response.ok) throw errorFromHttp(response.status, payload, url);
    if (typeof payload !== 'object' || payload === null || !('id' in payload))
      throw unexpectedResponse(response.status, url);
    return payload as Upload;
  }

  async viewer(): Promise<Viewer> {
    return (await this.request<{ viewer: Viewer }>(op.VIEWER)).viewer;
  }

  async createModel(input: CreateModelInput): Promise<Model> {
    return (await this.request<{ createModel: Model }>(op.CREATE_MODEL, { input })).createModel;
  }

  /** A model with its newest versions; NOT_FOUND when there is none of that name. */
  async model(name: string, versions = 20): Promise<ModelWithVersions> {
    const { model } = await this.request<{ model: ModelWithVersions | null }>(op.MODEL_WITH_VERSIONS, {
      name,
      first: versions,
    });
    if (!model) throw notFound('model', name);
    return model;
  }

  async models(filter: ModelsFilter, page: Page): Promise<Connection<Model>> {
    return (await this.request<{ models: Connection<Model> }>(op.MODELS, { filter, ...page })).models;
  }

  async modelVersion(model: string, version: number): Promise<ModelVersion> {
    return (await this.request<{ modelVersion: ModelVersion }>(op.MODEL_VERSION_QUERY, { model, version }))
      .modelVersion;
  }

  async registerModelVersion(input: RegisterModelVersionInput): Promise<ModelVersion> {
    return (await this.request<{ registerModelVersion: ModelVersion }>(op.REGISTER_MODEL_VERSION, { input }))
      .registerModelVersion;
  }

  async setModelAlias(input: { model: string; alias: string; version: number }): Promise<ModelAlias> {
    return (await this.request<{ setModelAlias: ModelAlias }>(op.SET_MODEL_ALIAS, { input })).setModelAlias;
  }

  async archiveModelVersion(input: { model: string; version: number }): Promise<ModelVersion> {
    return (await this.request<{ archiveModelVersion: ModelVersion }>(op.ARCHIVE_MODEL_VERSION, { input }))
      .archiveModelVersion;
  }

  async createDataset(input: CreateDatasetInput): Promise<Omit<Dataset, 'versions'>> {
    return (await this.request<{ createDataset: Omit<Dataset, 'versions'> }>(op.CREATE_DATASET, { input }))
      .createDataset;
  }

  async dataset(name: string, versions = 20): Promise<DatasetWithVersions> {
    const { dataset } = await this.request<{ dataset: DatasetWithVersions | null }>(op.DATASET_WITH_VERSIONS, {
      name,
      first: versions,
    });
    if (!dataset) throw notFound('dataset', name);
    return dataset;
  }

  async datasets(page: Page): Promise<Connection<Dataset>> {
    return (await this.request<{ datasets: Connection<Dataset> }>(op.DATASETS, { ...page })).datasets;
  }

  async datasetVersion(dataset: string, version: number): Promise<DatasetVersion> {
    return (await this.request<{ datasetVersion: DatasetVersion }>(op.DATASET_VERSION_QUERY, { dataset, version }))
      .datasetVersion;
  }

  async registerDatasetVersion(input: RegisterDatasetVersionInput): Promise<DatasetVersion> {
    return (await this.request<{ registerDatasetVersion: DatasetVersion }>(op.REGISTER_DATASET_VERSION, { input }))
      .registerDatasetVersion;
  }

  async createUpload(kind: UploadKind, filename: string): Promise<Upload> {
    return (await this.request<{ createUpload: Upload }>(op.CREATE_UPLOAD, { input: { kind, filename } })).createUpload;
  }

  async evaluate(input: EvaluateInput): Promise<EvaluationDetail> {
    return (await this.request<{ evaluate: EvaluationDetail }>(op.EVALUATE, { input })).evaluate;
  }

  async evaluation(id: string): Promise<EvaluationDetail> {
    return (await this.request<{ evaluation: EvaluationDetail }>(op.EVALUATION_QUERY, { id })).evaluation;
  }

  /** A model version's evaluations, newest first. */
  async evaluationsOf(model: string, version: number): Promise<EvaluationDetail[]> {
    const data = await this.request<{ modelVersion: { evaluations: EvaluationDetail[] } }>(
      op.MODEL_VERSION_EVALUATIONS,
      { model, version },
    );
    return data.modelVersion.evaluations;
  }

  async compareEvaluations(a: string, b: string): Promise<EvaluationComparison> {
    return (await this.request<{ compareEvaluations: EvaluationComparison }>(op.COMPARE_EVALUATIONS, { a, b }))
      .compareEvaluations;
  }

  async apiKeys(): Promise<ApiKey[]> {
    return (await this.request<{ apiKeys: ApiKey[] }>(op.API_KEYS)).apiKeys;
  }

  async createApiKey(input: { name: string; role: Role }): Promise<CreatedApiKey> {
    return (await this.request<{ createApiKey: CreatedApiKey }>(op.CREATE_API_KEY, { input })).createApiKey;
  }

  async revokeApiKey(id: string): Promise<ApiKey> {
    return (await this.request<{ revokeApiKey: ApiKey }>(op.REVOKE_API_KEY, { id })).revokeApiKey;
  }

  async createEndpoint(input: CreateEndpointInput): Promise<Endpoint> {
    return (await this.request<{ createEndpoint: Endpoint }>(op.CREATE_ENDPOINT, { input })).createEndpoint;
  }

  /** An endpoint with its variants, active rollout and newest alarms; NOT_FOUND when missing. */
  async endpoint(name: string, alarms = 10): Promise<EndpointDetail> {
    const { endpoint } = await this.request<{ endpoint: EndpointDetail | null }>(op.ENDPOINT_QUERY, { name, alarms });
    if (!endpoint) throw notFound('endpoint', name);
    return endpoint;
  }

  async endpoints(page: Page): Promise<Connection<Endpoint>> {
    return (await this.request<{ endpoints: Connection<Endpoint> }>(op.ENDPOINTS, { ...page })).endpoints;
  }

  async deployModelVersion(input: PromoteInput): Promise<Rollout> {
    return (await this.request<{ deployModelVersion: Rollout }>(op.DEPLOY_MODEL_VERSION, { input })).deployModelVersion;
  }

  async promote(input: PromoteInput): Promise<Rollout> {
    return (await this.request<{ promote: Rollout }>(op.PROMOTE, { input })).promote;
  }

  async rollout(id: string): Promise<Rollout> {
    return (await this.request<{ rollout: Rollout }>(op.ROLLOUT_QUERY, { id })).rollout;
  }

  async rollouts(endpoint: string, page: Page): Promise<Connection<RolloutSummary>> {
    return (await this.request<{ rollouts: Connection<RolloutSummary> }>(op.ROLLOUTS, { endpoint, ...page })).rollouts;
  }

  /** Sends abort, pause, resume or approve to the endpoint's active rollout. */
  async controlRollout(action: RolloutAction, input: RolloutControlInput): Promise<RolloutSummary> {
    const field = `${action}Rollout`;
    const data = await this.request<Record<string, RolloutSummary>>(controlOperations[action], { input });
    return data[field];
  }

  async raiseAlarm(input: RaiseAlarmInput): Promise<Alarm[]> {
    return (await this.request<{ raiseAlarm: Alarm[] }>(op.RAISE_ALARM, { input })).raiseAlarm;
  }

  private authorization(): Record<string, string> {
    return this.target.key ? { authorization: `Bearer ${this.target.key.reveal()}` } : {};
  }
}

function notFound(kind: string, name: string): FledgeError {
  return new FledgeError('NOT_FOUND', `${kind} ${name} does not exist`, {
    reason: `${kind.toUpperCase()}_NOT_FOUND`,
    details: { name },
  });
}
