// The three servers the serving benchmark compares, each started in its own process:
//   bare  — node:http answering a fixed JSON reply (the HTTP ceiling of this machine);
//   naive — node:http + JSON.parse + one session.run per request on the main thread;
//   fledge — the Fledge serving runtime (startServingRuntime), endpoint applied in-process.
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
  dataDir?: string;
  maxInFlightPerWorker?: number;
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
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
    res.end(reply);
  }).listen(port, '127.0.0.1');
}

async function naive(): Promise<void> {
  const session = await ort.InferenceSession.create(config.modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  createServer(async (req, res) => {
    if (req.method === 'GET') {
      res.end('{}');
      return;
    }
    const body = JSON.parse((await drain(req)).toString()) as {
      inputs: { name: string; shape: number[]; data: number[] }[];
    };
    const input = body.inputs[0];
    const out = await session.run({
      [input.name]: new ort.Tensor('float32', Float32Array.from(input.data), input.shape),
    });
    const outputs = Object.entries(out).map(([name, t]) => ({
      name,
      datatype: t.type === 'int64' ? 'INT64' : 'FP32',
      shape: t.dims,
      data: Array.from(t.data as Float32Array, Number),
    }));
    const reply = Buffer.from(JSON.stringify({ model_name: 'digits', model_version: '1', outputs }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
    res.end(reply);
  }).listen(port, '127.0.0.1');
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
  process.on('SIGTERM', () => {
    const stats = runtime.control.stats('digits', { windowSeconds: 600 });
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    void runtime.close().then(() => process.exit(0));
  });
}

const modes: Record<string, () => Promise<void>> = { bare, naive, fledge };
await modes[mode]();
process.stdout.write('READY\n');
