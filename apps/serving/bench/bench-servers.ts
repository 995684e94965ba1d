// The three servers the serving benchmark compares, each started in its own process:
//   bare  — node:http answering a fixed reply (the HTTP ceiling of this machine);
//   naive — node:http + JSON.parse (or the binary data extension) + one session.run per request
//           on the main thread;
//   fledge — the Fledge serving runtime (startServingRuntime), endpoint applied in-process (with
//            `processes` > 1, through its admin use case to every data-plane process).
// Usage: node scripts/run.mjs apps/serving/bench/bench-servers.ts <mode> <port> <json-config>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import ort from 'onnxruntime-node';

import { LocalArtifactStore, modelVersionArtifactKey } from '@fledge/storage';

import { startServingRuntime } from '../src/index.js';

interface BenchServerConfig {
  modelPath: string;
  shadowModelPath?: string;
  replyPath?: string;
  /** Headers of the fixed reply (bare): its content type, the binary extension's header length. */
  replyHeaders?: Record<string, string>;
  dataDir?: string;
  maxInFlightPerWorker?: number;
  /** Data-plane processes (fledge); the others read the artifact store from the environment. */
  processes?: number;
}

const [mode, portArg, configJson] = process.argv.slice(2);
const port = Number(portArg);
const config = JSON.parse(configJson) as BenchServerConfig;

function drain(req: import('node:http').IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function bare(): Promise<void> {
  const reply = readFileSync(config.replyPath!);
  createServer(async (req, res) => {
    await drain(req);
    res.writeHead(200, {
      'content-type': 'application/json',
      ...config.replyHeaders,
      'content-length': reply.length,
    });
    res.end(reply);
  }).listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
}

interface NaiveInput {
  name: string;
  shape: number[];
  data?: number[];
  parameters?: { binary_data_size?: number };
}

/** The first input's floats: from JSON, or (binary data extension) the bytes after the JSON header. */
function naiveInput(body: Buffer, headerLength: number | undefined): { input: NaiveInput; data: Float32Array } {
  const json = headerLength === undefined ? body : body.subarray(0, headerLength);
  const input = (JSON.parse(json.toString()) as { inputs: NaiveInput[] }).inputs[0];
  if (headerLength === undefined) return { input, data: Float32Array.from(input.data!) };
  const bytes = body.subarray(headerLength, headerLength + input.parameters!.binary_data_size!);
  return { input, data: new Float32Array(Uint8Array.from(bytes).buffer) };
}

async function naive(): Promise<void> {
  const session = await ort.InferenceSession.create(config.modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  createServer(async (req, res) => {
    if (req.method === 'GET') {
      res.end('{}');
      return;
    }
    const header = req.headers['inference-header-content-length'];
    const binary = typeof header === 'string';
    const { input, data } = naiveInput(await drain(req), binary ? Number(header) : undefined);
    const out = await session.run({ [input.name]: new ort.Tensor('float32', data, input.shape) });
    const entries = Object.entries(out);
    const datatype = (t: ort.Tensor) => (t.type === 'int64' ? 'INT64' : 'FP32');
    if (binary) {
      const outputs = entries.map(([name, t]) => ({
        name,
        datatype: datatype(t),
        shape: t.dims,
        parameters: { binary_data_size: (t.data as ArrayBufferView).byteLength },
      }));
      const head = Buffer.from(JSON.stringify({ model_name: 'digits', model_version: '1', outputs }));
      const views = entries.map(([, t]) => t.data as ArrayBufferView);
      const reply = Buffer.concat([head, ...views.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))]);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': head.length,
        'content-length': reply.length,
      });
      res.end(reply);
      return;
    }
    const outputs = entries.map(([name, t]) => ({
      name,
      datatype: datatype(t),
      shape: t.dims,
      data: Array.from(t.data as Float32Array, Number),
    }));
    const reply = Buffer.from(JSON.stringify({ model_name: 'digits', model_version: '1', outputs }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
    res.end(reply);
  }).listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
}

async function fledge(): Promise<void> {
  const store = new LocalArtifactStore(`${config.dataDir}/artifacts`);
  const put = async (id: string, path: string) => {
    const r = await store.put(modelVersionArtifactKey('bench', id), readFileSync(path));
    return { artifactUri: r.uri, sha256: r.sha256 };
  };
  const runtime = await startServingRuntime({
    port,
    adminPort: 0,
    adminToken: 'bench-admin-token-0123456789abcdef',
    dataDir: config.dataDir!,
    artifactSource: store,
    maxInFlightPerWorker: config.maxInFlightPerWorker,
    processes: config.processes,
  });
  await runtime.ready;
  const common = { modelName: 'digits', shadowSampleRate: 0 };
  const variants = [
    {
      ...common,
      ...(await put('primary', config.modelPath)),
      variantName: 'v1',
      modelVersionId: 'mv1',
      version: 1,
      role: 'primary',
      weight: 100,
    },
  ];
  if (config.shadowModelPath) {
    variants.push({
      ...common,
      ...(await put('shadow', config.shadowModelPath)),
      variantName: 'v2',
      modelVersionId: 'mv2',
      version: 2,
      role: 'shadow',
      weight: 0,
      shadowSampleRate: 1,
    });
  }
  await runtime.control.apply('digits', { variants });
  process.stdout.write('READY\n');
  process.on('SIGTERM', () => {
    void runtime.control
      .stats('digits', { windowSeconds: 600 })
      .then((stats) => process.stdout.write(`STATS ${JSON.stringify(stats)}\n`))
      .then(() => runtime.close())
      .then(() => process.exit(0));
  });
}

const modes: Record<string, () => Promise<void>> = { bare, naive, fledge };
await modes[mode]();
