import { type TestApi } from '@fledge/testing';

/** What the rollout e2e specs need from the public GraphQL and upload surfaces. */
export class FledgeClient {
  constructor(
    private readonly api: TestApi,
    private readonly key: string,
  ) {}

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.api.graphql<T>(query, variables, this.key);
    if (!result.data || result.errors?.length) {
      throw new Error(
        `GraphQL failed: ${JSON.stringify(result.errors)}\n--- api log tail ---\n${this.api.logs().slice(-3000)}`,
      );
    }
    return result.data;
  }

  /** The GraphQL error code of an operation expected to fail. */
  async errorCode(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const result = await this.api.graphql(query, variables, this.key);
    return result.errors?.[0]?.extensions?.code;
  }

  async upload(kind: 'MODEL' | 'DATASET', bytes: Uint8Array): Promise<string> {
    const { createUpload } = await this.gql<{ createUpload: { id: string; url: string } }>(
      'mutation($i: CreateUploadInput!) { createUpload(input: $i) { id url } }',
      { i: { kind } },
    );
    const res = await fetch(`${this.api.url}${createUpload.url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    return createUpload.id;
  }

  async registerModelVersion(model: string, onnx: Uint8Array, metadata: Record<string, unknown>): Promise<number> {
    const uploadId = await this.upload('MODEL', onnx);
    const data = await this.gql<{ registerModelVersion: { version: number } }>(
      'mutation($i: RegisterModelVersionInput!) { registerModelVersion(input: $i) { version } }',
      { i: { model, uploadId, metadata } },
    );
    return data.registerModelVersion.version;
  }

  async registerDatasetVersion(dataset: string, bytes: Uint8Array, featureColumns: string[]): Promise<number> {
    const uploadId = await this.upload('DATASET', bytes);
    const data = await this.gql<{ registerDatasetVersion: { version: number } }>(
      'mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version } }',
      { i: { dataset, uploadId, format: 'JSONL', featureColumns, labelColumn: 'label' } },
    );
    return data.registerDatasetVersion.version;
  }

  async startRollout(
    mutation: 'promote' | 'deployModelVersion',
    input: { endpoint: string; model: string; version: number; policy: Record<string, unknown> },
  ): Promise<string> {
    const data = await this.gql<Record<string, { id: string }>>(
      `mutation($i: PromoteInput!) { ${mutation}(input: $i) { id } }`,
      { i: input },
    );
    return data[mutation].id;
  }

  rollout(id: string): Promise<RolloutView> {
    return this.gql<{ rollout: RolloutView }>(
      `query($id: ID!) { rollout(id: $id) {
         id state currentStep reason evidence
         events { seq type at detail }
         live { state step paused awaitingApproval weights { name role weight } }
       } }`,
      { id },
    ).then((d) => d.rollout);
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
    const data = await this.gql<{ endpoint: { variants: { name: string; role: string; weight: number }[] } }>(
      'query($n: String!) { endpoint(name: $n) { variants { name role weight } } }',
      { n: endpoint },
    );
    return data.endpoint.variants;
  }
}

export const terminal = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];

export interface RolloutView {
  id: string;
  state: string;
  currentStep: number;
  reason: string | null;
  evidence: Record<string, unknown>;
  events: { seq: number; type: string; at: string; detail: Record<string, any> }[];
  live: {
    state: string;
    step: any;
    paused: boolean;
    awaitingApproval: boolean;
    weights: { name: string; role: string; weight: number }[];
  } | null;
}
