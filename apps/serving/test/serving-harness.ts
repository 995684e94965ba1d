// Helpers for the serving integration tests: a runtime on free ports, a local artifact store,
// variant specs and a small HTTP client (fetch) for the data plane and the admin API.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalArtifactStore, modelVersionArtifactKey } from '@fledge/storage';

import { type ArtifactSource, type ServingRuntime, startServingRuntime, type VariantSpec } from '../src/index.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A local artifact store in a temp folder, holding the models a test serves. */
export class TestArtifacts {
  readonly store: LocalArtifactStore;
  constructor(dir: string) {
    this.store = new LocalArtifactStore(dir);
  }

  /** Stores `bytes` as model version `id` (lower-case `[a-z0-9-]`). */
  async add(id: string, bytes: Uint8Array): Promise<{ artifactUri: string; sha256: string }> {
    const put = await this.store.put(modelVersionArtifactKey('test-model', id), bytes);
    return { artifactUri: put.uri, sha256: put.sha256 };
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The environment of the serving runtime run as its own process (main.ts), local artifact store. */
export function servingProcessEnv(options: {
  dataDir: string;
  artifactDir: string;
  port: number;
  adminPort: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    FLEDGE_MODE: 'distributed',
    FLEDGE_LOG_LEVEL: 'info',
    FLEDGE_DATA_DIR: options.dataDir,
    FLEDGE_ARTIFACT_STORE: 'local',
    FLEDGE_ARTIFACT_DIR: options.artifactDir,
    FLEDGE_SERVING_PORT: String(options.port),
    FLEDGE_SERVING_ADMIN_PORT: String(options.adminPort),
    FLEDGE_SERVING_ADMIN_TOKEN: ADMIN_TOKEN,
    ...options.extra,
  };
}

export async function startTestRuntime(
  artifacts: ArtifactSource,
  options: {
    dataDir?: string;
    workers?: number;
    maxBodyBytes?: number;
    bodyTimeoutMs?: number;
    host?: string;
    adminHost?: string;
    /** Return before the persisted endpoints are restored. */
    skipReady?: boolean;
  } = {},
): Promise<ServingRuntime> {
  const runtime = await startServingRuntime({
    host: options.host,
    adminHost: options.adminHost,
    port: 0,
    adminPort: 0,
    adminToken: ADMIN_TOKEN,
    dataDir: options.dataDir ?? tempDir('fledge-serving-'),
    artifactSource: artifacts,
    workers: options.workers,
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs,
  });
  if (!options.skipReady) await runtime.ready;
  return runtime;
}

export function variant(
  name: string,
  artifact: { artifactUri: string; sha256: string },
  overrides: Partial<VariantSpec> = {},
): VariantSpec {
  return {
    variantName: name,
    modelVersionId: `mv-${name}`,
    modelName: name.replace(/-v\d+$/, ''),
    version: Number(/-v(\d+)$/.exec(name)?.[1] ?? 1),
    role: 'primary',
    weight: 100,
    shadowSampleRate: 0,
    ...artifact,
    ...overrides,
  };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Buffer;
  json: <T = Record<string, unknown>>() => T;
}

async function send(url: string, init: RequestInit): Promise<HttpResult> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}

export function admin(runtime: ServingRuntime, method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  return send(`${runtime.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function applyEndpoint(
  runtime: ServingRuntime,
  name: string,
  variants: VariantSpec[],
): Promise<HttpResult> {
  const res = await admin(runtime, 'PUT', `/admin/endpoints/${name}`, { variants });
  if (res.status !== 200) throw new Error(`apply ${name} failed: ${res.status} ${res.body.toString()}`);
  return res;
}

export function infer(
  runtime: ServingRuntime,
  endpoint: string,
  body: unknown,
  options: { version?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const path = options.version
    ? `/v2/models/${endpoint}/versions/${options.version}/infer`
    : `/v2/models/${endpoint}/infer`;
  return send(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
  });
}

export function pixelsRequest(pixels: ArrayLike<number>, rows = 1) {
  return {
    inputs: [{ name: 'pixels', datatype: 'FP32', shape: [rows, pixels.length / rows], data: Array.from(pixels) }],
  };
}

/** Runs `count` calls of `fn` with at most `concurrency` in flight. */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection after answering. */
  closed: boolean;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh socket (for what fetch refuses to send:
 * a Content-Length the body does not meet, raw paths). Resolves once the server has answered and
 * closed, or `settleMs` after the answer if it keeps the connection open.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Uint8Array | string = '',
  options: { host?: string; settleMs?: number; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, options.host ?? '127.0.0.1');
    const chunks: Buffer[] = [];
    let answered: ReturnType<typeof setTimeout> | undefined;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${options.timeoutMs ?? 20_000} ms`));
    }, options.timeoutMs ?? 20_000);
    const finish = (closed: boolean) => {
      clearTimeout(deadline);
      clearTimeout(answered);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const [headText, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = headText.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      if (!statusLine) return reject(new Error('the server closed the connection without an answer'));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), closed });
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (Buffer.concat(chunks).includes('\r\n\r\n') && !answered) {
        answered = setTimeout(() => finish(false), options.settleMs ?? 2000);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(head.replace(/\n/g, '\r\n') + '\r\n\r\n');
    if (body.length > 0) socket.write(body);
  });
}
