import { invalidArgument } from '@fledge/errors';

import { DIGITS_CNN_V1, trainDigitsCnn } from './digits-cnn.trainer.js';
import {
  DIGITS_MLP_V1,
  DIGITS_MLP_V2,
  type MlpWeights,
  trainDigitsMlp,
  trainMlpWeights,
} from './digits-mlp.trainer.js';
import { type TrainedModel } from './model.types.js';
import { PENGUINS_FOREST_V1, trainPenguinsForest } from './penguins-forest.trainer.js';
import { SPAM_TEXT_V1, trainSpamText } from './spam-text.trainer.js';
import { loadDigits } from '../datasets/digits.dataset.js';

export const modelNames = [
  'digits-mlp',
  'digits-mlp-v2',
  'digits-mlp-slow',
  'digits-mlp-wrong',
  'digits-mlp-faulty',
  'digits-cnn',
  'spam-text',
  'penguins-forest',
] as const;

export type ModelName = (typeof modelNames)[number];

/** Extra MatMuls of `digits-mlp-slow`: several ms per batch-1 request on this class of machine. */
export const SLOW_MODEL_MATMULS = 100;
/**
 * `digits-mlp-faulty` fails at run time on rows whose pixel 286 (row 10, column 6) is above 0.5:
 * about 7.5% of the digits (7.6% of the test split), like a model with a shape bug on some inputs.
 */
export const FAULTY_MODEL_PIXEL = { index: 286, above: 0.5 } as const;
/** `digits-mlp-wrong` reports class (c + 1) mod 10 where `digits-mlp` reports c: ~0 agreement. */
export const WRONG_MODEL_PERMUTATION: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];

export interface CatalogEntry {
  readonly name: ModelName;
  readonly description: string;
  /** Everything that determines the bytes, besides the trainer's code (hashed for the cache key). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly train: () => TrainedModel;
}

// The slow and wrong variants reuse digits-mlp's weights: train them once per process.
let v1Weights: MlpWeights | undefined;
const digitsMlpV1Weights = () => (v1Weights ??= trainMlpWeights(DIGITS_MLP_V1, loadDigits().train));

const entries: Record<ModelName, Omit<CatalogEntry, 'name'>> = {
  'digits-mlp': {
    description: 'MLP 784→128→10 on digits (the baseline / champion)',
    config: { ...DIGITS_MLP_V1 },
    train: () => trainDigitsMlp({ name: 'digits-mlp', config: DIGITS_MLP_V1, weights: digitsMlpV1Weights() }),
  },
  'digits-mlp-v2': {
    description: 'MLP 784→160→10, another seed: a candidate at least as accurate as digits-mlp',
    config: { ...DIGITS_MLP_V2 },
    train: () => trainDigitsMlp({ name: 'digits-mlp-v2', config: DIGITS_MLP_V2 }),
  },
  'digits-mlp-slow': {
    description: `digits-mlp plus ${SLOW_MODEL_MATMULS} discarded 784×784 MatMuls: same outputs, higher latency`,
    config: { ...DIGITS_MLP_V1, slowdownMatMuls: SLOW_MODEL_MATMULS },
    train: () =>
      trainDigitsMlp({
        name: 'digits-mlp-slow',
        config: DIGITS_MLP_V1,
        weights: digitsMlpV1Weights(),
        slowdownMatMuls: SLOW_MODEL_MATMULS,
      }),
  },
  'digits-mlp-wrong': {
    description: 'digits-mlp with permuted output classes: deliberately wrong, for shadow agreement',
    config: { ...DIGITS_MLP_V1, permutation: WRONG_MODEL_PERMUTATION },
    train: () =>
      trainDigitsMlp({
        name: 'digits-mlp-wrong',
        config: DIGITS_MLP_V1,
        weights: digitsMlpV1Weights(),
        permutation: WRONG_MODEL_PERMUTATION,
      }),
  },
  'digits-mlp-faulty': {
    description: `digits-mlp that fails at run time on rows with pixel ${FAULTY_MODEL_PIXEL.index} > ${FAULTY_MODEL_PIXEL.above} (~7.5% of digits)`,
    config: { ...DIGITS_MLP_V1, faultyPixel: FAULTY_MODEL_PIXEL },
    train: () =>
      trainDigitsMlp({
        name: 'digits-mlp-faulty',
        config: DIGITS_MLP_V1,
        weights: digitsMlpV1Weights(),
        faultyPixel: FAULTY_MODEL_PIXEL,
      }),
  },
  'digits-cnn': {
    description: 'CNN conv 16×3×3 → ReLU → MaxPool 2 → dense on digits',
    config: { ...DIGITS_CNN_V1 },
    train: () => trainDigitsCnn({ name: 'digits-cnn', config: DIGITS_CNN_V1 }),
  },
  'spam-text': {
    description: 'raw email text → in-graph tokenizing → bag of words → logistic regression (spam/ham)',
    config: { ...SPAM_TEXT_V1 },
    train: () => trainSpamText({ name: 'spam-text', config: SPAM_TEXT_V1 }),
  },
  'penguins-forest': {
    description: 'random forest (TreeEnsembleClassifier) on 4 penguin measurements → species',
    config: { ...PENGUINS_FOREST_V1 },
    train: () => trainPenguinsForest({ name: 'penguins-forest', config: PENGUINS_FOREST_V1 }),
  },
};

export function isModelName(name: string): name is ModelName {
  return (modelNames as readonly string[]).includes(name);
}

export function catalogEntry(name: string): CatalogEntry {
  if (!isModelName(name)) {
    throw invalidArgument(`unknown model ${name}; known: ${modelNames.join(', ')}`, {
      reason: 'MODEL_NAME_UNKNOWN',
      details: { name, known: modelNames },
    });
  }
  return { name, ...entries[name] };
}

/** Trains a catalog model now, bypassing the cache. */
export function trainModel(name: ModelName): TrainedModel {
  return catalogEntry(name).train();
}
