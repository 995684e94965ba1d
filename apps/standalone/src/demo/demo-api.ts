import {
  CompareEvaluationsDocument,
  CreateDatasetDocument,
  CreateEndpointDocument,
  CreateModelDocument,
  CreateUploadDocument,
  DatasetWithVersionsDocument,
  DeployModelVersionDocument,
  EndpointDetailDocument,
  EndpointDocument,
  EvaluateDocument,
  EvaluationDetailDocument,
  FledgeClient,
  ModelWithVersionsDocument,
  PromoteDocument,
  type PromoteInput,
  readRolloutEvents,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
  type RolloutEventView,
  type RolloutState,
  type UploadKind,
} from '@fledge/client';

/** A rollout's state and every event recorded so far. */
export interface RolloutRead {
  id: string;
  state: RolloutState;
  reason: string | null;
  events: RolloutEventView[];
}

/**
 * What the demo does through Fledge's public surfaces (GraphQL and the upload endpoint), each a
 * typed operation of the shared client. Errors are the client's FledgeApiError.
 */
export class DemoApi {
  readonly client: FledgeClient;

  constructor(apiUrl: string, apiKey: string) {
    this.client = new FledgeClient({ apiUrl, apiKey });
  }

  /** The console's page of a rollout (the console is served by the API at its root). */
  consoleUrl(path: string): string {
    return `${this.client.baseUrl}/${path.replace(/^\//, '')}`;
  }

  async upload(kind: UploadKind, bytes: Uint8Array, filename: string): Promise<string> {
    const { createUpload } = await this.client.request(CreateUploadDocument, { input: { kind, filename } });
    await this.client.upload(createUpload.url, bytes);
    return createUpload.id;
  }

  async exists(kind: 'model' | 'dataset' | 'endpoint', name: string): Promise<boolean> {
    switch (kind) {
      case 'model':
        return (await this.client.request(ModelWithVersionsDocument, { name, first: 1 })).model !== null;
      case 'dataset':
        return (await this.client.request(DatasetWithVersionsDocument, { name, first: 1 })).dataset !== null;
      case 'endpoint':
        // Not EndpointDetail: its rollouts list refuses an endpoint that does not exist.
        return (await this.client.request(EndpointDocument, { name, alarms: 1 })).endpoint !== null;
    }
  }

  async createModel(name: string, description?: string): Promise<void> {
    await this.client.request(CreateModelDocument, {
      input: { name, task: 'CLASSIFICATION', modality: 'IMAGE', description },
    });
  }

  async createDataset(name: string, description?: string): Promise<void> {
    await this.client.request(CreateDatasetDocument, { input: { name, description } });
  }

  async createEndpoint(name: string, description?: string): Promise<void> {
    await this.client.request(CreateEndpointDocument, { input: { name, description } });
  }

  async registerModelVersion(model: string, onnx: Uint8Array, metadata: Record<string, unknown>): Promise<number> {
    const uploadId = await this.upload('MODEL', onnx, `${model}.onnx`);
    const { registerModelVersion } = await this.client.request(RegisterModelVersionDocument, {
      input: { model, uploadId, metadata },
    });
    return registerModelVersion.version;
  }

  async registerDatasetVersion(dataset: string, bytes: Uint8Array, featureColumns: string[]): Promise<number> {
    const uploadId = await this.upload('DATASET', bytes, `${dataset}.jsonl`);
    const { registerDatasetVersion } = await this.client.request(RegisterDatasetVersionDocument, {
      input: { dataset, uploadId, format: 'JSONL', featureColumns, labelColumn: 'label' },
    });
    return registerDatasetVersion.version;
  }

  async evaluate(input: { model: string; version: number; dataset: string; datasetVersion: number }) {
    return (await this.client.request(EvaluateDocument, { input })).evaluate;
  }

  async evaluation(id: string) {
    const { evaluation } = await this.client.request(EvaluationDetailDocument, { id });
    if (!evaluation) throw new Error(`evaluation ${id} not found`);
    return evaluation;
  }

  async compareEvaluations(a: string, b: string) {
    return (await this.client.request(CompareEvaluationsDocument, { a, b })).compareEvaluations;
  }

  async startRollout(mutation: 'promote' | 'deployModelVersion', input: PromoteInput): Promise<string> {
    if (mutation === 'promote') return (await this.client.request(PromoteDocument, { input })).promote.id;
    return (await this.client.request(DeployModelVersionDocument, { input })).deployModelVersion.id;
  }

  async rollout(id: string): Promise<RolloutRead> {
    const { state, reason, events } = await readRolloutEvents(this.client, id);
    return { id, state, reason, events };
  }

  async endpoint(name: string) {
    const { endpoint } = await this.client.request(EndpointDetailDocument, { name });
    if (!endpoint) throw new Error(`endpoint ${name} not found`);
    return endpoint;
  }

  async aliases(model: string): Promise<{ name: string; version: number }[]> {
    const found = (await this.client.request(ModelWithVersionsDocument, { name: model, first: 1 })).model;
    return found?.aliases ?? [];
  }
}
