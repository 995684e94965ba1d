// The servers the browser tests drive, as one process (started by global-setup.ts through
// scripts/run.mjs, stopped with SIGTERM): a fresh test database on the stack's PostgreSQL, the
// api (serving the built console at /), worker and serving runtime as processes, a digits model
// with three versions and two evaluations, an endpoint serving v1 under steady traffic, and a
// 1,000-model registry. Writes the fixture JSON to argv[2] and prints `console-stack ready`.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  CreateDatasetDocument,
  CreateEndpointDocument,
  CreateModelDocument,
  CreateUploadDocument,
  DeployModelVersionDocument,
  EvaluateDocument,
  EvaluationStatusDocument,
  FledgeClient,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
  RolloutStateDocument,
} from '@fledge/client';
import { createPrismaClient } from '@fledge/db';
import { OipClient, TrafficGenerator, type OipTensor } from '@fledge/oip-client';
import { createTestDatabase, startFledgeProcesses, uniqueName } from '@fledge/testing';
import { getModel, loadDigits, writeDataset, type ModelName } from '@fledge/trainer';

import { seedRegistry } from '../../../api/test/support/registry-seed.js';
import { type ConsoleFixture } from './console-fixture.js';

const fixturePath = process.argv[2];
if (!fixturePath) throw new Error('usage: console-stack.ts <fixture.json>');

const REGISTRY_SIZE = 1000;
const labels = Array.from({ length: 10 }, (_, i) => String(i));

const db = await createTestDatabase();
process.env.DATABASE_URL = db.url;
const fledge = await startFledgeProcesses();
const client = new FledgeClient({ apiUrl: fledge.api.url, apiKey: fledge.api.keys.admin });
const oip = new OipClient(fledge.servingUrl);
let traffic: TrafficGenerator | null = null;

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await traffic?.stop();
    oip.close();
    await fledge.close().catch((error: unknown) => console.error(error));
    await db.drop().catch((error: unknown) => console.error(error));
  }
  process.exit(code);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(0));

async function upload(kind: 'MODEL' | 'DATASET', bytes: Uint8Array): Promise<string> {
  const { createUpload } = await client.request(CreateUploadDocument, { input: { kind } });
  await client.upload(createUpload.url, bytes);
  return createUpload.id;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not finish: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

try {
  const model = uniqueName('digits');
  const dataset = uniqueName('digits-test');
  const endpoint = uniqueName('digits');
  await client.request(CreateModelDocument, {
    input: {
      name: model,
      task: 'CLASSIFICATION',
      modality: 'IMAGE',
      description: 'Handwritten digits (browser tests)',
    },
  });
  const versions: ModelName[] = ['digits-mlp', 'digits-mlp-v2', 'digits-mlp-slow'];
  for (const name of versions) {
    const uploadId = await upload('MODEL', (await getModel(name)).onnx);
    await client.request(RegisterModelVersionDocument, {
      input: { model, uploadId, metadata: { labels, trainedAs: name, epochs: 5 } },
    });
  }
  await client.request(CreateDatasetDocument, { input: { name: dataset, description: 'digits test split' } });
  const file = path.join(tmpdir(), `${dataset}.jsonl`);
  await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 400 });
  const datasetUpload = await upload('DATASET', await readFile(file));
  await rm(file, { force: true });
  await client.request(RegisterDatasetVersionDocument, {
    input: { dataset, uploadId: datasetUpload, format: 'JSONL', featureColumns: ['pixels'], labelColumn: 'label' },
  });

  const evaluations = { v1: '', v2: '' };
  for (const version of [1, 2] as const) {
    const { evaluate } = await client.request(EvaluateDocument, {
      input: { model, version, dataset, datasetVersion: 1 },
    });
    await until(
      () => client.request(EvaluationStatusDocument, { id: evaluate.id }),
      (r) => r.evaluation.status === 'SUCCEEDED' || r.evaluation.status === 'FAILED',
      `evaluation of v${version}`,
    );
    evaluations[`v${version}`] = evaluate.id;
  }

  await client.request(CreateEndpointDocument, { input: { name: endpoint, description: 'digits (browser tests)' } });
  const { deployModelVersion } = await client.request(DeployModelVersionDocument, {
    input: { endpoint, model, version: 1, policy: { gate: { maxAccuracyDrop: null } } },
  });
  const deployed = await until(
    () => client.request(RolloutStateDocument, { id: deployModelVersion.id }),
    (r) => ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(r.rollout.state),
    'the first deploy',
  );
  if (deployed.rollout.state !== 'SUCCEEDED') throw new Error(`deploy ended ${deployed.rollout.state}`);

  const digits = loadDigits().test;
  const rows: OipTensor[][] = Array.from({ length: 100 }, (_, r) => [
    {
      name: 'pixels',
      datatype: 'FP32',
      shape: [1, 784],
      data: Array.from(digits.features.subarray(r * 784, (r + 1) * 784)),
    },
  ]);
  traffic = new TrafficGenerator(oip, { endpoint, ratePerSecond: 30, inputs: (i) => rows[i % rows.length] }).start();

  const registryPrefix = uniqueName('registry');
  const prisma = await createPrismaClient({ databaseUrl: db.url });
  try {
    await seedRegistry(prisma.prisma, registryPrefix, REGISTRY_SIZE, 1);
  } finally {
    await prisma.close();
  }

  const fixture: ConsoleFixture = {
    apiUrl: fledge.api.url,
    servingUrl: fledge.servingUrl,
    keys: fledge.api.keys,
    keyNames: fledge.api.keyNames,
    model,
    dataset,
    endpoint,
    evaluations,
    registryPrefix,
    registrySize: REGISTRY_SIZE,
  };
  await writeFile(fixturePath, JSON.stringify(fixture, null, 2));
  process.stdout.write('console-stack ready\n');
} catch (error) {
  console.error(error);
  await stop(1);
}
