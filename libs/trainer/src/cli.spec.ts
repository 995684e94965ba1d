import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { parseDatasetSpec } from './datasets/dataset-spec.util.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

describe('train CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fledge-train-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses dataset specs', () => {
    expect(parseDatasetSpec('digits:test:jsonl:gz:x100')).toEqual({
      kind: 'digits',
      split: 'test',
      format: 'jsonl',
      gzip: true,
      repeat: 100,
      file: 'digits-test-x100.jsonl.gz',
    });
    expect(parseDatasetSpec('penguins:train:csv').file).toBe('penguins-train.csv');
    for (const bad of [
      'digits:test',
      'cats:test:csv',
      'spam:dev:csv',
      'spam:test:xml',
      'spam:test:csv:x0',
      'spam:test:csv:zip',
    ]) {
      expect(() => parseDatasetSpec(bad)).toThrow(FledgeError);
    }
  });

  it('writes models, datasets and a manifest with matching digests', async () => {
    const out = join(dir, 'out');
    const { stdout } = await run(
      process.execPath,
      [
        join(repoRoot, 'scripts/run.mjs'),
        join(repoRoot, 'libs/trainer/src/cli.ts'),
        '--out',
        out,
        '--models',
        'penguins-forest',
        '--datasets',
        'penguins:test:csv,digits:test:jsonl:gz:x2',
        '--cache-dir',
        join(dir, 'cache'),
      ],
      { cwd: repoRoot },
    );
    expect(stdout).toContain('wrote 1 models and 2 datasets');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      models: Array<{ file: string; sha256: string; report: { inputs: unknown } }>;
      datasets: Array<{ file: string; rows: number; sha256: string }>;
    };
    expect(manifest.models.map((m) => m.file)).toEqual(['models/penguins-forest.onnx']);
    expect(manifest.models[0].report.inputs).toEqual([{ name: 'features', type: 'float32', shape: ['batch', 4] }]);
    expect(manifest.datasets.map((d) => [d.file, d.rows])).toEqual([
      ['datasets/penguins-test.csv', 68],
      ['datasets/digits-test-x2.jsonl.gz', 4000],
    ]);
    for (const entry of [...manifest.models, ...manifest.datasets]) {
      expect(
        createHash('sha256')
          .update(await readFile(join(out, entry.file)))
          .digest('hex'),
      ).toBe(entry.sha256);
    }
  }, 60_000);

  it('exits non-zero with a message on bad arguments', async () => {
    const failure = run(
      process.execPath,
      [join(repoRoot, 'scripts/run.mjs'), join(repoRoot, 'libs/trainer/src/cli.ts'), '--models', 'nope', '--out', dir],
      {
        cwd: repoRoot,
      },
    );
    await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('unknown models: nope') });
  }, 60_000);
});
