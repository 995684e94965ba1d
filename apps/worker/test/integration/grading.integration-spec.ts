import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompareEvaluationsDocument, ModelVersionEvaluationsDocument } from '@fledge/client';
import { type FledgeDatabase } from '@fledge/db';
import { openTestDatabase, serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';
import { getModel, writeDataset, type WrittenDataset } from '@fledge/trainer';

import { refusal } from '../../../api/test/support/registry-client.js';
import {
  classificationMetrics,
  evaluate,
  referenceAccuracy,
  registerDatasetFile,
  registerTrainerModel,
  waitForEvaluation,
  type GradedEvaluation,
} from '../support/grading-client.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const columns = (d: WrittenDataset) => ({
  format: d.format,
  featureColumns: d.featureColumns.map((c) => c.name),
  labelColumn: d.labelColumn,
});

describe('grading through GraphQL (Temporal dev server, worker process, Postgres, S3-compatible server, ORT)', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let env: Record<string, string>;
  let database: FledgeDatabase;
  let s3: S3Client;
  let dir: string;
  let digits: WrittenDataset;
  let digitsDataset: { name: string; version: number; uri: string; id: string };
  const graded: Record<string, GradedEvaluation> = {};

  beforeAll(async () => {
    // Our own task queue: other suites' workers on the shared Temporal server never see these workflows.
    env = serverTestEnv({ FLEDGE_TEMPORAL_TASK_QUEUE: uniqueName('grading') });
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-grading-'));
    [api, worker, database] = await Promise.all([startTestApi(env), startWorkerProcess(env), openTestDatabase()]);
    s3 = new S3Client({
      endpoint: env.FLEDGE_S3_ENDPOINT,
      region: env.AWS_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    });
    digits = await writeDataset('digits', 'test', path.join(dir, 'digits.jsonl'), { format: 'jsonl' });
    digitsDataset = await registerDatasetFile(api, uniqueName('digits-test'), digits.path, columns(digits));
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.stop(), database?.close()]);
    s3?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The CLI from source, as a user runs it, with the scientist's key. */
  const fledge = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'apps/cli/src/main.ts', ...args], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: dir, FLEDGE_API_URL: api.url, FLEDGE_API_KEY: api.keys.scientist },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const overwrite = async (uri: string, body: Uint8Array) => {
    const { hostname: bucket, pathname } = new URL(uri);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: pathname.slice(1), Body: body }));
  };

  const gradeAndCompare = async (
    trained: 'digits-mlp' | 'digits-cnn' | 'spam-text' | 'penguins-forest',
    modality: 'IMAGE' | 'TEXT' | 'TABULAR',
    data: WrittenDataset,
    dataset: { name: string; version: number },
  ) => {
    const model = await registerTrainerModel(api, uniqueName(trained), trained, modality);
    const started = await evaluate(api, model, dataset);
    expect(['PENDING', 'RUNNING']).toContain(started.status);
    expect(started.rowsTotal).toBe(data.rows);
    const done = await waitForEvaluation(api, started.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', rowsDone: data.rows, rowsTotal: data.rows, error: null });
    const labels = (await getModel(trained)).report.labels;
    const reference = await referenceAccuracy(trained, data.path, { ...columns(data), labels });
    expect(reference.rows).toBe(data.rows);
    const metrics = classificationMetrics(done);
    expect(metrics.rows).toBe(data.rows);
    // Equal, not close: the same rows through the same model give the same top-1 on every row.
    expect(metrics.accuracy).toBe(reference.correct / reference.rows);
    expect(metrics.perClass.map((c) => c.label)).toEqual(labels);
    expect(metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(data.rows);
    expect(done.throughput).toBeGreaterThan(0);
    expect(done.latency).toMatchObject({ run: { attempts: 1, resumedFromRow: 0, rowsGraded: data.rows } });
    expect(done.latency!.p50Ms).toBeGreaterThan(0);
    graded[trained] = done;
    return { model, done };
  };

  it('grades the digits MLP and the digits CNN (2,000 rows, JSONL) with the accuracy of an ORT loop', async () => {
    await gradeAndCompare('digits-mlp', 'IMAGE', digits, digitsDataset);
    const { model } = await gradeAndCompare('digits-cnn', 'IMAGE', digits, digitsDataset);
    expect(classificationMetrics(graded['digits-cnn']).accuracy).toBeGreaterThan(0.9);

    const viewer = api.client('viewer');
    const lineage = await viewer.request(ModelVersionEvaluationsDocument, {
      model: model.name,
      version: model.version,
    });
    expect(lineage.modelVersion?.evaluations).toEqual([
      expect.objectContaining({ id: graded['digits-cnn'].id, status: 'SUCCEEDED' }),
    ]);

    const { compareEvaluations: compared } = await viewer.request(CompareEvaluationsDocument, {
      a: graded['digits-mlp'].id,
      b: graded['digits-cnn'].id,
    });
    const accuracy = compared.metrics.find((m) => m.metric === 'accuracy')!;
    expect(accuracy.a).toBe(classificationMetrics(graded['digits-mlp']).accuracy);
    expect(accuracy.b).toBe(classificationMetrics(graded['digits-cnn']).accuracy);
    expect(accuracy.delta).toBeCloseTo(accuracy.b! - accuracy.a!, 12);
    expect(compared.perClass).toHaveLength(10);
  });

  it('grades the raw-text spam model on gzip JSONL and the penguins forest on CSV', async () => {
    const spam = await writeDataset('spam', 'test', path.join(dir, 'spam.jsonl.gz'), { format: 'jsonl', gzip: true });
    const spamDataset = await registerDatasetFile(api, uniqueName('spam-test'), spam.path, columns(spam));
    await gradeAndCompare('spam-text', 'TEXT', spam, spamDataset);
    expect(classificationMetrics(graded['spam-text']).accuracy).toBeGreaterThan(0.95);

    const penguins = await writeDataset('penguins', 'test', path.join(dir, 'penguins.csv'), { format: 'csv' });
    const penguinsDataset = await registerDatasetFile(
      api,
      uniqueName('penguins-test'),
      penguins.path,
      columns(penguins),
    );
    await gradeAndCompare('penguins-forest', 'TABULAR', penguins, penguinsDataset);
  });

  it('two concurrent evaluate calls for one pair make one evaluation; a later call reuses the succeeded one', async () => {
    const penguins = await writeDataset('penguins', 'test', path.join(dir, 'penguins-2.csv'), { format: 'csv' });
    const dataset = await registerDatasetFile(api, uniqueName('penguins-pair'), penguins.path, columns(penguins));
    const model = await registerTrainerModel(api, uniqueName('penguins'), 'penguins-forest', 'TABULAR');
    const [a, b] = await Promise.all([evaluate(api, model, dataset), evaluate(api, model, dataset)]);
    expect(a.id).toBe(b.id);
    const done = await waitForEvaluation(api, a.id);
    expect(done.status).toBe('SUCCEEDED');
    const again = await evaluate(api, model, dataset);
    expect(again).toMatchObject({ id: done.id, status: 'SUCCEEDED' });
    const rows = await database.prisma.evaluation.count({ where: { datasetVersionId: dataset.id } });
    expect(rows).toBe(1);
  });

  it('fledge evaluate shows the report (per-class table, confusion matrix) and --json the evaluation', async () => {
    const penguins = await writeDataset('penguins', 'test', path.join(dir, 'penguins-cli.csv'), { format: 'csv' });
    const dataset = await registerDatasetFile(api, uniqueName('penguins-cli'), penguins.path, columns(penguins));
    const model = await registerTrainerModel(api, uniqueName('penguins-cli'), 'penguins-forest', 'TABULAR');
    const args = ['evaluate', `${model.name}@${model.version}`, `${dataset.name}@${dataset.version}`];
    const human = await fledge(args);
    expect(human).toMatchObject({ code: 0 });
    expect(human.stdout).toMatch(/Status:\s+succeeded/);
    expect(human.stdout).toMatch(/Rows:\s+68 of 68/);
    expect(human.stdout).toMatch(/Per class\nCLASS\s+PRECISION\s+RECALL\s+F1\s+SUPPORT\nAdelie/);
    expect(human.stdout).toMatch(
      /Confusion matrix \(rows: actual, columns: predicted\)\n\s+ADELIE\s+CHINSTRAP\s+GENTOO/,
    );
    const machine = await fledge([...args, '--json']);
    expect(machine.code).toBe(0);
    expect(JSON.parse(machine.stdout)).toMatchObject({ status: 'SUCCEEDED', rowsDone: 68, metrics: { rows: 68 } });
  });

  it('refuses a model and a dataset of different label sets at evaluate (INVALID_ARGUMENT)', async () => {
    const penguins = await writeDataset('penguins', 'test', path.join(dir, 'penguins-3.csv'), { format: 'csv' });
    const dataset = await registerDatasetFile(api, uniqueName('penguins-labels'), penguins.path, columns(penguins));
    // spam-text knows ham and spam (indices 0 and 1); penguins are labelled 0, 1 and 2.
    const model = await registerTrainerModel(api, uniqueName('spam'), 'spam-text', 'TEXT');
    const refused = await refusal(evaluate(api, model, dataset));
    expect(refused.code).toBe('INVALID_ARGUMENT');
    expect(refused.message).toMatch(/labels 2 name none of the model's classes \(ham, spam\)/);
    expect(await database.prisma.evaluation.count({ where: { datasetVersionId: dataset.id } })).toBe(0);
  });

  const failedWith = async (dataset: { name: string; version: number }): Promise<GradedEvaluation> => {
    const model = { name: await digitsMlpName(), version: 1 };
    const started = await evaluate(api, model, dataset);
    const done = await waitForEvaluation(api, started.id);
    expect(done.status).toBe('FAILED');
    return done;
  };
  let mlpName: string | undefined;
  const digitsMlpName = async () =>
    (mlpName ??= (await registerTrainerModel(api, uniqueName('digits-mlp'), 'digits-mlp', 'IMAGE')).name);

  it('fails an evaluation naming the row whose values do not fit the signature', async () => {
    const lines = (await readFile(digits.path, 'utf8')).split('\n').slice(0, 5);
    const third = JSON.parse(lines[2]);
    lines[2] = JSON.stringify({ ...third, pixels: third.pixels.slice(0, 10) });
    const file = path.join(dir, 'digits-bad-row.jsonl');
    await writeFile(file, lines.join('\n') + '\n');
    const dataset = await registerDatasetFile(api, uniqueName('digits-bad-row'), file, columns(digits));
    const done = await failedWith(dataset);
    expect(done.error).toBe('row 3 (line 3): column pixels has 10 values, input pixels expects 784');
    expect(done.metrics).toBeNull();
    // A failed evaluation is not reused: the CLI grades again, fails the same way, exits 6.
    const cli = await fledge(['evaluate', `${await digitsMlpName()}@1`, `${dataset.name}@${dataset.version}`]);
    expect(cli.code).toBe(6);
    expect(cli.stderr).toContain('the evaluation failed: row 3 (line 3): column pixels has 10 values');
  });

  it('fails a dataset whose stored bytes were tampered with (INTEGRITY) before any inference', async () => {
    const file = path.join(dir, 'digits-small.jsonl');
    const small = await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 50 });
    const dataset = await registerDatasetFile(api, uniqueName('digits-tampered'), file, columns(small));
    const bytes = await readFile(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20] === 0x31 ? 0x32 : 0x31;
    await overwrite(dataset.uri, bytes);
    const done = await failedWith(dataset);
    expect(done.error).toMatch(/sha256/i);
    expect(done).toMatchObject({ rowsDone: 0, metrics: null, latency: null });
    // The worker logs "grading" only once the bytes are verified and the model is loaded.
    const started = worker.lines().filter((l) => l.msg === 'grading' && l.evaluationId === done.id);
    expect(started).toEqual([]);
  });

  it('fails a corrupt gzip with the decoder’s reason', async () => {
    const file = path.join(dir, 'digits-small.jsonl.gz');
    const small = await writeDataset('digits', 'test', file, { format: 'jsonl', gzip: true, limit: 200 });
    const dataset = await registerDatasetFile(api, uniqueName('digits-gzip'), file, columns(small));
    // Valid header, garbage deflate data: the stored object and its recorded digest agree, so
    // only the decoder can object.
    const good = gzipSync(Buffer.from('{"pixels":[0],"label":1}\n'.repeat(4000)));
    const corrupt = Buffer.concat([good.subarray(0, 10), Buffer.alloc(2000, 0xff), good.subarray(good.length - 8)]);
    await overwrite(dataset.uri, corrupt);
    const { createHash } = await import('node:crypto');
    await database.prisma.datasetVersion.update({
      where: { id: dataset.id },
      data: { sha256: createHash('sha256').update(corrupt).digest('hex'), sizeBytes: BigInt(corrupt.length) },
    });
    const done = await failedWith(dataset);
    expect(done.error).toMatch(/^the gzip stream cannot be decoded: /);
  });

  it('a worker killed mid-run is replaced and the evaluation completes without regrading finished rows', async () => {
    // The slow MLP computes the digits MLP's outputs plus 100 discarded 784×784 MatMuls: same
    // metrics, long enough batches for the kill to land mid-run.
    const model = await registerTrainerModel(api, uniqueName('digits-slow'), 'digits-mlp-slow', 'IMAGE');
    const started = await evaluate(api, model, digitsDataset);
    const midway = await waitForEvaluation(api, started.id, {
      until: (e) => e.rowsDone >= 512 || (e.status !== 'PENDING' && e.status !== 'RUNNING'),
      timeoutMs: 120_000,
    });
    expect(midway.status).toBe('RUNNING');
    expect(midway.rowsDone).toBeLessThan(digits.rows);
    await worker.kill();
    worker = await startWorkerProcess(env);

    const done = await waitForEvaluation(api, started.id, { timeoutMs: 180_000 });
    expect(done.status).toBe('SUCCEEDED');
    const run = done.latency!.run;
    expect(run.attempts).toBe(2);
    expect(run.resumedFromRow).toBeGreaterThan(0);
    // Rows counted across attempts equal the dataset: the second attempt graded only the rest.
    expect(run.rowsGraded).toBe(digits.rows);
    const resumed = worker.lines().find((l) => l.msg === 'resuming grading' && l.evaluationId === started.id);
    expect(resumed).toMatchObject({ resumeAfterRow: run.resumedFromRow });
    // Identical metrics to the uninterrupted digits MLP run: nothing lost, nothing counted twice.
    const [afterResume, uninterrupted] = [done, graded['digits-mlp']].map(classificationMetrics);
    expect(afterResume.confusionMatrix).toEqual(uninterrupted.confusionMatrix);
    expect(afterResume.logLoss).toBeCloseTo(uninterrupted.logLoss, 9);
  });
});
