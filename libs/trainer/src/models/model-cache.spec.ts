import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { defaultModelCacheDir, getModel, modelCacheKey } from './model-cache.js';
import { catalogEntry } from './model-catalog.js';

describe(getModel.name, () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'fledge-model-cache-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('trains once, then serves the same bytes from <name>-<hash>.onnx', async () => {
    const first = await getModel('penguins-forest', { cacheDir });
    expect(first.fromCache).toBe(false);
    expect(first.path).toBe(join(cacheDir, `${modelCacheKey('penguins-forest')}.onnx`));
    expect(modelCacheKey('penguins-forest')).toMatch(/^penguins-forest-[0-9a-f]{16}$/);
    expect((await readdir(cacheDir)).sort()).toEqual([
      `${modelCacheKey('penguins-forest')}.json`,
      `${modelCacheKey('penguins-forest')}.onnx`,
    ]);
    const again = await getModel('penguins-forest', { cacheDir });
    expect(again.fromCache).toBe(true);
    expect(again.sha256).toBe(first.sha256);
    expect(again.report).toEqual(first.report);
    expect(Array.from(again.testPredictions)).toEqual(Array.from(first.testPredictions));
  });

  it('retrains instead of serving a corrupt cached file', async () => {
    const dir = join(cacheDir, 'corrupt');
    const good = await getModel('penguins-forest', { cacheDir: dir });
    await writeFile(good.path, good.onnx.subarray(0, 100));
    const healed = await getModel('penguins-forest', { cacheDir: dir });
    expect(healed.fromCache).toBe(false);
    expect(healed.sha256).toBe(good.sha256);
  });

  it('shares one training between concurrent callers', async () => {
    const dir = join(cacheDir, 'concurrent');
    const [a, b] = await Promise.all([
      getModel('penguins-forest', { cacheDir: dir }),
      getModel('penguins-forest', { cacheDir: dir }),
    ]);
    expect(a).toBe(b);
    expect(a.fromCache).toBe(false);
  });

  it('keys on the configuration and rejects unknown names', () => {
    expect(modelCacheKey('digits-mlp')).not.toBe(modelCacheKey('digits-mlp-v2').replace('-v2', ''));
    expect(() => catalogEntry('digits-rnn')).toThrow(FledgeError);
    expect(defaultModelCacheDir()).toMatch(/[/\\]\.fledge[/\\]cache[/\\]models$/);
  });
});
