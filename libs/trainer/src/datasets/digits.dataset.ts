import { type DenseSplit, type DigitsDataset } from './dataset.types.js';
import { readPackageJson } from './package-files.util.js';

export const DIGITS_WIDTH = 784;
/** Per class, the first 800 digits train and the rest (201) test: 8,000 train, 2,010 test. */
const TRAIN_PER_CLASS = 800;

let cached: DigitsDataset | undefined;

/**
 * The `mnist` package's 10,010 digits (28×28 grey levels in 0..1), split deterministically.
 * Rows are interleaved by class (0,1,…,9,0,1,…) so that any prefix is balanced.
 */
export function loadDigits(): DigitsDataset {
  if (cached) return cached;
  const perClass = Array.from({ length: 10 }, (_, digit) => {
    const { data } = readPackageJson<{ data: number[] }>('mnist', `src/digits/${digit}.json`);
    return Float32Array.from(data);
  });
  const build = (from: (digit: number) => number, to: (digit: number) => number): DenseSplit => {
    const counts = perClass.map((pixels, digit) => Math.min(to(digit), pixels.length / DIGITS_WIDTH) - from(digit));
    const rows = counts.reduce((a, b) => a + b, 0);
    const features = new Float32Array(rows * DIGITS_WIDTH);
    const labels = new Int32Array(rows);
    let row = 0;
    for (let k = 0; row < rows; k++) {
      for (let digit = 0; digit < 10; digit++) {
        if (k >= counts[digit]) continue;
        const source = (from(digit) + k) * DIGITS_WIDTH;
        features.set(perClass[digit].subarray(source, source + DIGITS_WIDTH), row * DIGITS_WIDTH);
        labels[row++] = digit;
      }
    }
    return { rows, width: DIGITS_WIDTH, features, labels };
  };
  cached = {
    name: 'digits',
    labelNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: build(
      () => 0,
      () => TRAIN_PER_CLASS,
    ),
    test: build(
      () => TRAIN_PER_CLASS,
      () => Number.MAX_SAFE_INTEGER,
    ),
  };
  return cached;
}
