/** The demo's view of a rollout, as the public GraphQL `rollout(id)` returns it. */
export interface RolloutView {
  id: string;
  state: string;
  currentStep: number;
  reason: string | null;
  events: RolloutEventView[];
  live: {
    state: string;
    step: Record<string, unknown> | null;
    paused: boolean;
    awaitingApproval: boolean;
    weights: VariantWeight[];
  } | null;
}

export interface RolloutEventView {
  seq: number;
  type: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface VariantWeight {
  name: string;
  role: string;
  weight: number;
}

export interface EvaluationView {
  id: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  rowsDone: number;
  rowsTotal: number | null;
  metrics: Record<string, unknown> | null;
  error: string | null;
}

export const TERMINAL_ROLLOUT_STATES = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];

export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A small client of Fledge's public surfaces (GraphQL and the upload endpoint) with only what the
 * demo needs. The CLI has the complete one; the demo keeps its own so it shows the raw API.
 */
export class FledgeApiClient {
  private readonly origin: string;

  constructor(
    private readonly graphqlUrl: string,
    private readonly apiKey: string,
  ) {
    this.origin = new URL(graphqlUrl).origin;
  }

  async gql<T = unknown>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.length || !body.data) {
      const first = body.errors?.[0];
      throw new GraphqlError(
        `GraphQL: ${first?.message ?? `HTTP ${res.status}`}`,
        first?.extensions?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : undefined),
      );
    }
    return body.data;
  }

  async upload(kind: 'MODEL' | 'DATASET', bytes: Uint8Array, filename: string): Promise<string> {
    const { createUpload } = await this.gql<{ createUpload: { id: string; url: string } }>(
      'mutation($i: CreateUploadInput!) { createUpload(input: $i) { id url } }',
      { i: { kind, filename } },
    );
    const res = await fetch(`${this.origin}${createUpload.url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    if (res.status !== 200) throw new Error(`upload failed: HTTP ${res.status} ${await res.text()}`);
    return createUpload.id;
  }

  async exists(kind: 'model' | 'dataset' | 'endpoint', name: string): Promise<boolean> {
    const data = await this.gql<Record<string, unknown>>(`query($n: String!) { ${kind}(name: $n) { id } }`, {
      n: name,
    });
    return data[kind] !== null;
  }

  async registerModelVersion(model: string, onnx: Uint8Array, metadata: Record<string, unknown>): Promise<number> {
    const uploadId = await this.upload('MODEL', onnx, `${model}.onnx`);
    const data = await this.gql<{ registerModelVersion: { version: number } }>(
      'mutation($i: RegisterModelVersionInput!) { registerModelVersion(input: $i) { version } }',
      { i: { model, uploadId, metadata } },
    );
    return data.registerModelVersion.version;
  }

  async registerDatasetVersion(dataset: string, bytes: Uint8Array, featureColumns: string[]): Promise<number> {
    const uploadId = await this.upload('DATASET', bytes, `${dataset}.jsonl`);
    const data = await this.gql<{ registerDatasetVersion: { version: number } }>(
      'mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version } }',
      { i: { dataset, uploadId, format: 'JSONL', featureColumns, labelColumn: 'label' } },
    );
    return data.registerDatasetVersion.version;
  }

  async evaluate(input: { model: string; version: number; dataset: string; datasetVersion: number }) {
    const data = await this.gql<{ evaluate: EvaluationView }>(
      `mutation($i: EvaluateInput!) { evaluate(input: $i) { ${evaluationFields} } }`,
      { i: input },
    );
    return data.evaluate;
  }

  async evaluation(id: string): Promise<EvaluationView> {
    const data = await this.gql<{ evaluation: EvaluationView }>(
      `query($id: ID!) { evaluation(id: $id) { ${evaluationFields} } }`,
      { id },
    );
    return data.evaluation;
  }

  async compareEvaluations(a: string, b: string) {
    const data = await this.gql<{
      compareEvaluations: {
        metrics: { metric: string; a: number; b: number; delta: number; improved: boolean }[];
        perClass: { label: string; f1: { a: number; b: number; delta: number } }[];
      };
    }>(
      `query($a: ID!, $b: ID!) { compareEvaluations(a: $a, b: $b) {
         metrics { metric a b delta improved }
         perClass { label f1 { a b delta } }
       } }`,
      { a, b },
    );
    return data.compareEvaluations;
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

  async rollout(id: string): Promise<RolloutView> {
    const data = await this.gql<{ rollout: RolloutView }>(
      `query($id: ID!) { rollout(id: $id) {
         id state currentStep reason
         events { seq type at detail }
         live { state step paused awaitingApproval weights { name role weight } }
       } }`,
      { id },
    );
    return data.rollout;
  }

  async endpoint(name: string): Promise<{ inferenceUrl: string | null; variants: VariantWeight[] }> {
    const data = await this.gql<{ endpoint: { inferenceUrl: string | null; variants: VariantWeight[] } | null }>(
      'query($n: String!) { endpoint(name: $n) { inferenceUrl variants { name role weight } } }',
      { n: name },
    );
    if (!data.endpoint) throw new Error(`endpoint ${name} not found`);
    return data.endpoint;
  }

  async aliases(model: string): Promise<{ name: string; version: number }[]> {
    const data = await this.gql<{ model: { aliases: { name: string; version: number }[] } }>(
      'query($n: String!) { model(name: $n) { aliases { name version } } }',
      { n: model },
    );
    return data.model.aliases;
  }
}

const evaluationFields = 'id status rowsDone rowsTotal metrics error';
