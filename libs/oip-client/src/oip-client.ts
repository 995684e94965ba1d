import { Agent, request } from 'node:http';

export interface OipTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: number[] | string[];
}

export interface InferResult {
  status: number;
  /** The variant and model version that answered (Fledge serving's response headers). */
  variant: string | null;
  modelVersion: string | null;
  outputs: OipTensor[];
  error: string | null;
  latencyMs: number;
}

/**
 * A minimal Open Inference Protocol v2 REST client over keep-alive node:http (JSON tensors), for
 * demos, end-to-end tests and benchmarks. `infer` never throws for an HTTP error status: the
 * status and the OIP error are in the result; only a broken connection rejects.
 */
export class OipClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(baseUrl: string, options: { maxSockets?: number } = {}) {
    this.base = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  infer(
    endpoint: string,
    inputs: OipTensor[],
    options: { version?: number; routingKey?: string } = {},
  ): Promise<InferResult> {
    const path =
      options.version === undefined
        ? `/v2/models/${encodeURIComponent(endpoint)}/infer`
        : `/v2/models/${encodeURIComponent(endpoint)}/versions/${options.version}/infer`;
    const body = Buffer.from(JSON.stringify({ inputs }));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            ...(options.routingKey ? { 'fledge-routing-key': options.routingKey } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const latencyMs = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let doc: { outputs?: OipTensor[]; error?: string } = {};
            try {
              doc = text ? (JSON.parse(text) as typeof doc) : {};
            } catch {
              doc = { error: text.slice(0, 200) };
            }
            const header = (name: string) => {
              const value = res.headers[name];
              return typeof value === 'string' ? value : null;
            };
            resolve({
              status: res.statusCode ?? 0,
              variant: header('fledge-variant'),
              modelVersion: header('fledge-model-version'),
              outputs: doc.outputs ?? [],
              error: res.statusCode === 200 ? null : (doc.error ?? `HTTP ${res.statusCode}`),
              latencyMs,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
