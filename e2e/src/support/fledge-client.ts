import {
  CreateDatasetDocument,
  CreateEndpointDocument,
  CreateModelDocument,
  CreateUploadDocument,
  type CreateEndpointInput,
  type CreateModelInput,
  DeployModelVersionDocument,
  EndpointDetailDocument,
  FledgeClient as TypedClient,
  PromoteDocument,
  type PromoteInput,
  readRolloutEvents,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
  RolloutDetailDocument,
  type RolloutDetailQuery,
  type RolloutEventView,
  type UploadKind,
} from '@fledge/client';
import { type TestApi } from '@fledge/testing';

/** What the rollout e2e specs need from the public GraphQL and upload surfaces (the shared typed client). */
export class FledgeClient {
  readonly typed: TypedClient;

  constructor(
    private readonly api: TestApi,
    private readonly key: string,
  ) {
    this.typed = new TypedClient({ apiUrl: api.url, apiKey: key });
  }

  async createModel(input: CreateModelInput): Promise<void> {
    await this.typed.request(CreateModelDocument, { input });
  }

  async createDataset(name: string): Promise<void> {
    await this.typed.request(CreateDatasetDocument, { input: { name } });
  }

  async createEndpoint(input: CreateEndpointInput): Promise<void> {
    await this.typed.request(CreateEndpointDocument, { input });
  }

  async upload(kind: UploadKind, bytes: Uint8Array): Promise<string> {
    const { createUpload } = await this.typed.request(CreateUploadDocument, { input: { kind } });
    await this.typed.upload(createUpload.url, bytes);
    return createUpload.id;
  }

  async registerModelVersion(model: string, onnx: Uint8Array, metadata: Record<string, unknown>): Promise<number> {
    const uploadId = await this.upload('MODEL', onnx);
    const { registerModelVersion } = await this.typed.request(RegisterModelVersionDocument, {
      input: { model, uploadId, metadata },
    });
    return registerModelVersion.version;
  }

  async registerDatasetVersion(dataset: string, bytes: Uint8Array, featureColumns: string[]): Promise<number> {
    const uploadId = await this.upload('DATASET', bytes);
    const { registerDatasetVersion } = await this.typed.request(RegisterDatasetVersionDocument, {
      input: { dataset, uploadId, format: 'JSONL', featureColumns, labelColumn: 'label' },
    });
    return registerDatasetVersion.version;
  }

  async startRollout(mutation: 'promote' | 'deployModelVersion', input: PromoteInput): Promise<string> {
    if (mutation === 'promote') return (await this.typed.request(PromoteDocument, { input })).promote.id;
    return (await this.typed.request(DeployModelVersionDocument, { input })).deployModelVersion.id;
  }

  /** The rollout with all its events (typed payloads, and the raw detail the specs assert on). */
  async rollout(id: string): Promise<RolloutView> {
    const { rollout } = await this.typed.request(RolloutDetailDocument, { id });
    const { events } = await readRolloutEvents(this.typed, id, { withDetail: true });
    return { ...rollout, evidence: rollout.evidence as Record<string, any>, events: events as RolloutView['events'] };
  }

  /** Polls the rollout until `until` holds (or it ends), returning its last view. */
  async waitFor(id: string, until: (r: RolloutView) => boolean, timeoutMs = 120_000): Promise<RolloutView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.rollout(id);
      if (until(view) || terminal.includes(view.state)) return view;
      if (Date.now() > deadline)
        throw new Error(
          `rollout ${id} still ${view.state} after ${timeoutMs} ms: ${JSON.stringify(view.events.at(-1))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async variants(endpoint: string): Promise<{ name: string; role: string; weight: number }[]> {
    const { endpoint: found } = await this.typed.request(EndpointDetailDocument, { name: endpoint });
    if (!found) throw new Error(`endpoint ${endpoint} not found`);
    return found.variants.map(({ name, role, weight }) => ({ name, role, weight }));
  }
}

export const terminal = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];

export type RolloutView = Omit<RolloutDetailQuery['rollout'], 'evidence'> & {
  evidence: Record<string, any>;
  events: (RolloutEventView & { detail: Record<string, any> })[];
};
