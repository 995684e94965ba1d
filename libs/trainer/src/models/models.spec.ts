/**
 * @jest-environment ./libs/trainer/test/ort-realm.environment.mjs
 */
import { createHash } from 'node:crypto';

import { beforeAll, describe, expect, it } from '@jest/globals';
import * as ort from 'onnxruntime-node';

import { loadDigits } from '../datasets/digits.dataset.js';
import { loadPenguins } from '../datasets/penguins.dataset.js';
import { loadSpam } from '../datasets/spam.dataset.js';
import { DIGITS_CNN_V1, trainDigitsCnn } from './digits-cnn.trainer.js';
import { DIGITS_MLP_V1, trainDigitsMlp } from './digits-mlp.trainer.js';
import { type CachedModel, getModel } from './model-cache.js';
import { FAULTY_MODEL_PIXEL, type ModelName, modelNames, WRONG_MODEL_PERMUTATION } from './model-catalog.js';
import { PENGUINS_FOREST_V1, trainPenguinsForest } from './penguins-forest.trainer.js';
import { SPAM_TEXT_V1, tokenize, tokenizerModel, trainSpamText } from './spam-text.trainer.js';

const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };

interface Scored {
  labels: Int32Array;
  probabilities: Float32Array;
}

/** Runs a model over its dataset's test split through ORT, in batches. */
async function scoreTestSplit(model: CachedModel): Promise<Scored> {
  const session = await ort.InferenceSession.create(model.onnx, options);
  const input = model.report.inputs[0];
  const batches: Array<{ feeds: Record<string, ort.Tensor>; rows: number }> = [];
  if (model.report.family === 'text') {
    const { texts } = loadSpam().test;
    for (let start = 0; start < texts.length; start += 64) {
      const batch = texts.slice(start, start + 64) as string[];
      batches.push({ feeds: { [input.name]: new ort.Tensor('string', batch, [batch.length]) }, rows: batch.length });
    }
  } else {
    const split = model.report.family === 'image' ? loadDigits().test : loadPenguins().test;
    batches.push({
      feeds: { [input.name]: new ort.Tensor('float32', split.features, [split.rows, split.width]) },
      rows: split.rows,
    });
  }
  const rows = batches.reduce((n, b) => n + b.rows, 0);
  const classes = model.report.labels.length;
  const labels = new Int32Array(rows);
  const probabilities = new Float32Array(rows * classes);
  let at = 0;
  for (const batch of batches) {
    const out = await session.run(batch.feeds);
    labels.set(Int32Array.from(out.label.data as BigInt64Array, Number), at);
    probabilities.set(out.probabilities.data as Float32Array, at * classes);
    at += batch.rows;
  }
  await session.release();
  return { labels, probabilities };
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const fraction = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
};

const trueLabels = (model: CachedModel) =>
  model.report.family === 'text'
    ? loadSpam().test.labels
    : model.report.family === 'image'
      ? loadDigits().test.labels
      : loadPenguins().test.labels;

/** Test accuracy each model must reach when measured through ORT. */
const targets: Partial<Record<ModelName, number>> = {
  'digits-mlp': 0.9,
  'digits-mlp-v2': 0.9,
  'digits-mlp-slow': 0.9,
  'digits-cnn': 0.9,
  'spam-text': 0.95,
  'penguins-forest': 0.95,
};

// The faulty model fails on a share of the test split by design: it is scored row by row below.
const scorable: readonly ModelName[] = modelNames.filter((n) => n !== 'digits-mlp-faulty');

describe('catalog models through onnxruntime-node', () => {
  const models = new Map<ModelName, CachedModel>();
  const scores = new Map<ModelName, Scored>();

  beforeAll(async () => {
    for (const name of modelNames) {
      const model = await getModel(name);
      models.set(name, model);
      if (scorable.includes(name)) scores.set(name, await scoreTestSplit(model));
    }
  }, 120_000);

  it.each(modelNames.map((n) => [n]))('%s loads with its declared signature', async (name) => {
    const model = models.get(name)!;
    const session = await ort.InferenceSession.create(model.onnx, options);
    const signature = (metadata: readonly ort.InferenceSession.ValueMetadata[]) =>
      metadata.map((m) => ({
        name: m.name,
        type: m.isTensor ? m.type : 'non-tensor',
        shape: m.isTensor ? m.shape : [],
      }));
    expect(signature(session.inputMetadata)).toEqual(model.report.inputs);
    expect(signature(session.outputMetadata)).toEqual(model.report.outputs);
    await session.release();
  });

  it.each(Object.entries(targets))('%s reaches test accuracy ≥ %d through ORT', (name, target) => {
    const model = models.get(name as ModelName)!;
    const measured = fraction(scores.get(name as ModelName)!.labels, trueLabels(model));
    expect(measured).toBeGreaterThanOrEqual(target);
    expect(measured).toBeCloseTo(model.report.testAccuracy, 2);
  });

  it.each(scorable.map((n) => [n]))('%s: ORT agrees with the TypeScript model', (name) => {
    const model = models.get(name)!;
    const agreement = fraction(scores.get(name)!.labels, model.testPredictions);
    // float networks may flip a near-tie between float32 and float64 arithmetic; trees and text may not
    expect(agreement).toBeGreaterThanOrEqual(model.report.family === 'image' ? 0.995 : 1);
  });

  it('returns probability rows that sum to 1', () => {
    for (const [name, scored] of scores) {
      const classes = models.get(name)!.report.labels.length;
      for (let r = 0; r < scored.labels.length; r += 97) {
        let sum = 0;
        for (let k = 0; k < classes; k++) sum += scored.probabilities[r * classes + k];
        expect(sum).toBeCloseTo(1, 5);
      }
    }
  });

  it('the faulty model fails exactly on rows with its pixel set, and answers like digits-mlp on the others', async () => {
    const session = await ort.InferenceSession.create(models.get('digits-mlp-faulty')!.onnx, options);
    const { features, rows } = loadDigits().test;
    const good = scores.get('digits-mlp')!.labels;
    let failed = 0;
    let agreed = 0;
    for (let r = 0; r < rows; r += 5) {
      const row = features.slice(r * 784, (r + 1) * 784);
      const flagged = row[FAULTY_MODEL_PIXEL.index] > FAULTY_MODEL_PIXEL.above;
      try {
        const out = await session.run({ pixels: new ort.Tensor('float32', row, [1, 784]) });
        expect(flagged).toBe(false);
        if (Number((out.label.data as BigInt64Array)[0]) === good[r]) agreed++;
      } catch (error) {
        expect(flagged).toBe(true);
        expect(String(error)).toMatch(/out of (data )?bounds|indices/i);
        failed++;
      }
    }
    await session.release();
    const sampled = Math.ceil(rows / 5);
    expect(failed / sampled).toBeGreaterThan(0.04);
    expect(failed / sampled).toBeLessThan(0.12);
    expect(agreed / (sampled - failed)).toBeGreaterThanOrEqual(0.995);
  });

  it('the wrong model disagrees with digits-mlp by its label permutation', () => {
    const good = scores.get('digits-mlp')!.labels;
    const wrong = scores.get('digits-mlp-wrong')!.labels;
    expect(fraction(good, wrong)).toBeLessThan(0.05);
    expect(
      fraction(
        Int32Array.from(wrong, (k) => WRONG_MODEL_PERMUTATION[k]),
        good,
      ),
    ).toBeGreaterThanOrEqual(0.995);
  });

  it('the slow model answers like digits-mlp, only slower', async () => {
    const fast = scores.get('digits-mlp')!.probabilities;
    const slow = scores.get('digits-mlp-slow')!.probabilities;
    let maxDiff = 0;
    for (let i = 0; i < fast.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fast[i] - slow[i]));
    expect(maxDiff).toBeLessThan(1e-5);

    const medianMs = async (name: ModelName) => {
      const session = await ort.InferenceSession.create(models.get(name)!.onnx, options);
      const feeds = { pixels: new ort.Tensor('float32', loadDigits().test.features.slice(0, 784), [1, 784]) };
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        await session.run(feeds);
        times.push(performance.now() - started);
      }
      await session.release();
      return times.sort((a, b) => a - b)[7];
    };
    const [fastMs, slowMs] = [await medianMs('digits-mlp'), await medianMs('digits-mlp-slow')];
    expect(slowMs).toBeGreaterThan(1);
    expect(slowMs).toBeGreaterThan(10 * fastMs);
  });

  it('the text model takes raw text, including empty strings', async () => {
    const session = await ort.InferenceSession.create(models.get('spam-text')!.onnx, options);
    const out = await session.run({
      text: new ort.Tensor('string', ['', 'CLICK HERE to claim your FREE prize!!! Limited offer, act now'], [2]),
    });
    expect(out.probabilities.dims).toEqual([2, 2]);
    expect((out.probabilities.data as Float32Array)[3]).toBeGreaterThan(0.5);
    await session.release();
  });

  it('the graph tokenizer equals tokenize() on tricky text', async () => {
    const session = await ort.InferenceSession.create(tokenizerModel(), options);
    const texts = [
      'Hello, WORLD! e-mail x a1b2cc',
      'Ünïcödé naïve café straße',
      'tabs\tand\nnew\r\nlines __ ab_cd',
      'ÀB 42 İstanbul',
      'Kelvin \u212Aelvin ǅungla ΣΑΣ',
      '',
    ];
    const out = await session.run({ text: new ort.Tensor('string', texts, [texts.length]) });
    const [rows, width] = out.tokens.dims;
    const tokens = out.tokens.data as string[];
    for (let r = 0; r < rows; r++) {
      const row = tokens.slice(r * width, (r + 1) * width).filter((t) => t !== '#');
      expect(row).toEqual(tokenize(texts[r]));
    }
    await session.release();
  });

  it('training again gives byte-identical models', () => {
    // fresh trainings against the cached bytes (which another process may have produced)
    expect(digest(trainDigitsMlp({ name: 'digits-mlp', config: DIGITS_MLP_V1 }).onnx)).toBe(
      models.get('digits-mlp')!.sha256,
    );
    expect(digest(trainSpamText({ name: 'spam-text', config: SPAM_TEXT_V1 }).onnx)).toBe(
      models.get('spam-text')!.sha256,
    );
    expect(digest(trainPenguinsForest({ name: 'penguins-forest', config: PENGUINS_FOREST_V1 }).onnx)).toBe(
      models.get('penguins-forest')!.sha256,
    );
    // the CNN's code path, twice on a small budget (its full training is the slowest fixture)
    const small = { ...DIGITS_CNN_V1, epochs: 1, trainRows: 1500 };
    const first = trainDigitsCnn({ name: 'cnn-small', config: small });
    expect(digest(trainDigitsCnn({ name: 'cnn-small', config: small }).onnx)).toBe(digest(first.onnx));
    expect(first.report.testAccuracy).toBeGreaterThan(0.8);
  }, 120_000);
});
