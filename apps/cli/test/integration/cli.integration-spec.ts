import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';
import { getModelPath } from '@fledge/trainer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('fledge CLI against the real API (Postgres, S3-compatible server, onnxruntime)', () => {
  let api: TestApi;
  let s3: S3Client;
  let work: string;
  let configDir: string;
  let modelFile: string;
  let modelSha: string;
  let datasetFile: string;

  /** Runs the CLI from source as a user would; `env` adds to a minimal environment. */
  const fledge = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'apps/cli/src/main.ts', ...args], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: work, FLEDGE_CONFIG_DIR: configDir, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });

  /** The CLI with a role's key in FLEDGE_API_KEY (overriding the saved login). */
  const as = (role: keyof TestApi['keys'], args: string[]) =>
    fledge(args, { env: { FLEDGE_API_URL: api.url, FLEDGE_API_KEY: api.keys[role] } });

  const ok = (run: Run): Run => {
    if (run.code !== 0) {
      throw new Error(
        `fledge exited ${run.code}:\n${run.stderr}\n${run.stdout}\nAPI log tail:\n${api.logs().slice(-3000)}`,
      );
    }
    return run;
  };
  const json = <T = any>(run: Run): T => JSON.parse(ok(run).stdout) as T;
  const exits = (run: Run, code: number): Run => {
    if (run.code !== code) {
      throw new Error(
        `fledge exited ${run.code}, expected ${code}:\n${run.stderr}\nAPI log tail:\n${api.logs().slice(-3000)}`,
      );
    }
    return run;
  };

  beforeAll(async () => {
    const env = serverTestEnv({ FLEDGE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
    s3 = new S3Client({
      endpoint: env.FLEDGE_S3_ENDPOINT,
      region: env.AWS_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    });
    api = await startTestApi(env);
    work = await mkdtemp(path.join(tmpdir(), 'fledge-cli-it-'));
    configDir = path.join(work, 'config');
    modelFile = await getModelPath('digits-mlp');
    modelSha = sha256(await readFile(modelFile));
    datasetFile = path.join(work, 'digits.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ pixels: [i / 30, 1 - i / 30], label: i % 10 }));
    await writeFile(datasetFile, `${rows.join('\n')}\n`);
  });

  afterAll(async () => {
    await api?.close();
    s3?.destroy();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('logs in with a key on standard input, saves it privately and never prints it', async () => {
    const login = ok(await fledge(['login', '--api', api.url], { input: `${api.keys.scientist}\n` }));
    expect(login.stdout).toContain(`as ${api.keyNames.scientist} (scientist)`);
    const file = path.join(configDir, 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ api: api.url, key: api.keys.scientist });

    const whoami = json(await fledge(['whoami', '--json']));
    expect(whoami).toEqual({ api: api.url, name: api.keyNames.scientist, role: 'SCIENTIST' });
    for (const output of [login.stdout, login.stderr]) expect(output).not.toContain(api.keys.scientist);
  });

  it('registers a real digits model end to end: version 1, the file sha256 (also in S3), the pixels signature', async () => {
    const name = uniqueName('digits');
    ok(
      await as('scientist', [
        'model',
        'create',
        name,
        '--task',
        'classification',
        '--modality',
        'image',
        '--description',
        'MLP',
      ]),
    );

    const v1 = json(
      await as('scientist', [
        'model',
        'register',
        name,
        modelFile,
        '--metadata',
        '{"epochs": 5, "lr": 0.01}',
        '--json',
      ]),
    );
    expect(v1).toMatchObject({ version: 1, sha256: modelSha, status: 'REGISTERED', metadata: { epochs: 5, lr: 0.01 } });
    expect(v1.signature.inputs).toEqual([{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }]);
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(v1.artifactUri)!;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(sha256(await object.Body!.transformToByteArray())).toBe(modelSha);

    // The human rendering of the next version: its number, digest and signature table.
    const v2 = ok(await as('scientist', ['model', 'register', name, modelFile, '--description', 'same weights']));
    expect(v2.stdout).toContain(`Registered ${name} version 2.`);
    expect(v2.stdout).toContain(`sha256: ${modelSha}`);
    expect(v2.stdout).toMatch(/^input +pixels +FP32 +\[\?, 784\]$/m);
    expect(v2.stderr).toBe('');

    const listed = json(await as('scientist', ['model', 'list', '--name-contains', name, '--json']));
    expect(listed.totalCount).toBe(1);
    expect(listed.models[0]).toMatchObject({ name, task: 'CLASSIFICATION', latestVersion: { version: 2 } });
    const all = json(await as('scientist', ['model', 'list', '--all', '--json']));
    expect(all.models.map((m: { name: string }) => m.name)).toContain(name);
    expect(all.models).toHaveLength(all.totalCount);
    const table = ok(await as('scientist', ['model', 'list', '--name-contains', name])).stdout;
    expect(table).toMatch(new RegExp(`^${name} +classification +image +2 `, 'm'));

    ok(await as('scientist', ['model', 'alias', name, 'production', '1']));
    const production = json(await as('scientist', ['model', 'show', `${name}@production`, '--json']));
    expect(production).toMatchObject({ version: 1, aliases: ['production'], sha256: modelSha });

    const shown = ok(await as('scientist', ['model', 'show', name])).stdout;
    expect(shown).toMatch(new RegExp(`^Aliases: +production→1$`, 'm'));
    expect(shown).toMatch(/^2 +registered +- /m);
    expect(shown).toMatch(/^1 +registered +production /m);

    const archived = json(await as('scientist', ['model', 'archive', `${name}@2`, '--json']));
    expect(archived).toMatchObject({ version: 2, status: 'ARCHIVED' });
  });

  it('registers a dataset and links it to a model version as its training data', async () => {
    const dataset = uniqueName('digits-data');
    ok(await as('scientist', ['dataset', 'create', dataset, '--description', 'tiny digits']));
    const registered = ok(
      await as('scientist', ['dataset', 'register', dataset, datasetFile, '--features', 'pixels', '--label', 'label']),
    );
    expect(registered.stdout).toContain(`Registered ${dataset} version 1: 30 rows.`);

    const version = json(await as('scientist', ['dataset', 'show', `${dataset}@1`, '--json']));
    expect(version).toMatchObject({
      version: 1,
      rowCount: 30,
      format: 'JSONL',
      compression: 'NONE',
      featureColumns: ['pixels'],
      labelColumn: 'label',
      sha256: sha256(await readFile(datasetFile)),
    });
    const list = json(await as('scientist', ['dataset', 'list', '--all', '--json']));
    expect(list.datasets.map((d: { name: string }) => d.name)).toContain(dataset);

    const model = uniqueName('digits-lineage');
    ok(await as('scientist', ['model', 'create', model, '--task', 'classification', '--modality', 'image']));
    const trained = json(
      await as('scientist', ['model', 'register', model, modelFile, '--training-dataset', `${dataset}@1`, '--json']),
    );
    expect(trained.trainingDataset).toEqual({ version: 1, dataset: { name: dataset } });
  });

  it('exits 3 for what does not exist, 4 for a role that may not, 5 for a name that is taken', async () => {
    const missing = await fledge(['model', 'show', uniqueName('ghost')]);
    exits(missing, 3);
    expect(missing.stderr).toMatch(/^error: model ghost-[0-9a-f]+ does not exist \(NOT_FOUND\)\n$/);
    exits(await fledge(['model', 'show', 'digits-nope@7']), 3);

    const forbidden = await as('viewer', [
      'model',
      'create',
      uniqueName('m'),
      '--task',
      'regression',
      '--modality',
      'tabular',
    ]);
    exits(forbidden, 4);
    expect(forbidden.stderr).toMatch(/^error: fledge model create needs the scientist role; .*\(FORBIDDEN\)\n$/);
    expect(forbidden.stderr).not.toContain(api.keys.viewer);
    // Registering starts with an upload: the refusal names the command typed, not createUpload.
    const register = exits(await as('viewer', ['model', 'register', 'any-model', modelFile]), 4);
    expect(register.stderr).toMatch(/^error: fledge model register needs the scientist role/);
    expect(register.stderr).not.toContain('createUpload');

    const unauthenticated = await fledge(['whoami'], { env: { FLEDGE_API_KEY: 'fledge_000000000000_nope' } });
    exits(unauthenticated, 4);

    const name = uniqueName('dup');
    ok(await as('scientist', ['model', 'create', name, '--task', 'regression', '--modality', 'tabular']));
    const duplicate = await as('scientist', ['model', 'create', name, '--task', 'regression', '--modality', 'tabular']);
    exits(duplicate, 5);
    expect(duplicate.stderr).toMatch(/\(CONFLICT\)\n$/);
  });

  it('exits 6 for a file that is not ONNX or is over the upload limit, registering nothing', async () => {
    const name = uniqueName('bad');
    ok(await as('scientist', ['model', 'create', name, '--task', 'classification', '--modality', 'image']));
    const garbage = path.join(work, 'garbage.onnx');
    await writeFile(garbage, 'this is not a protobuf');
    const corrupt = await as('scientist', ['model', 'register', name, garbage]);
    exits(corrupt, 6);
    expect(corrupt.stderr).toMatch(/\(INVALID_ARGUMENT\)\n$/);

    const huge = path.join(work, 'huge.onnx');
    await writeFile(huge, Buffer.alloc(MAX_UPLOAD_BYTES + 1));
    const tooLarge = await as('scientist', ['model', 'register', name, huge]);
    exits(tooLarge, 6);
    expect(tooLarge.stderr).toMatch(/\(PAYLOAD_TOO_LARGE\)\n$/);

    const shown = json(await as('scientist', ['model', 'show', name, '--json']));
    expect(shown.versions.totalCount).toBe(0);
  });

  it('lets an admin create, list and revoke API keys, showing the secret only on creation', async () => {
    const created = json(await as('admin', ['apikey', 'create', uniqueName('ci'), '--role', 'engineer', '--json']));
    expect(created.secret).toMatch(/^fledge_/);
    const listed = ok(await as('admin', ['apikey', 'list']));
    expect(listed.stdout).toContain(created.apiKey.id);
    expect(listed.stdout).not.toContain(created.secret);
    ok(await as('admin', ['apikey', 'revoke', created.apiKey.id]));
    const revoked = await fledge(['whoami'], { env: { FLEDGE_API_URL: api.url, FLEDGE_API_KEY: created.secret } });
    exits(revoked, 4);
    exits(await as('scientist', ['apikey', 'list']), 4);
  });

  it('exits 7 when the API is not there', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await fledge(['whoami'], { env: { FLEDGE_API_URL: url, FLEDGE_API_KEY: 'x' } });
    exits(run, 7);
    expect(run.stderr).toBe(`error: cannot reach the Fledge API at ${url} (ECONNREFUSED) (UNAVAILABLE)\n`);
  });
});
