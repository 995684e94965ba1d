import { invalidArgument } from '@fledge/errors';

import { DatasetErrorReason } from './dataset.errors.js';
import { labelKey } from './value.util.js';

/**
 * How a dataset's label values name classes:
 * - `name`: the value (as a string, so 7 and "7" match) is one of the model's class names;
 * - `index`: the value is the class index itself (0-based integer);
 * - `auto` (default): by name; and, when no class name looks like an integer (`ham`, `spam`),
 *   an integer value is also taken as an index. Numeric class names (`0`..`9`) are matched by
 *   name only, so a value can never mean two different classes.
 */
export type LabelEncoding = 'name' | 'index' | 'auto';

const INTEGER = /^\s*\d+\s*$/;

/** Maps a label value to a class index; `undefined` for a value that names no class. */
export type LabelIndexer = (value: unknown) => number | undefined;

export function createLabelIndexer(
  labels: readonly string[] | undefined,
  encoding: LabelEncoding = 'auto',
): LabelIndexer {
  if (encoding === 'name' && !labels) {
    throw invalidArgument('label encoding "name" needs the class names', {
      reason: DatasetErrorReason.SIGNATURE_MISMATCH,
    });
  }
  const byName = new Map<string, number>();
  if (labels && encoding !== 'index') labels.forEach((name, i) => byName.set(name, i));
  const byIndex = encoding === 'index' || (encoding === 'auto' && (!labels || !labels.some((l) => INTEGER.test(l))));
  const classes = labels?.length ?? Number.POSITIVE_INFINITY;
  return (value) => {
    const key = labelKey(value);
    if (key === undefined) return undefined;
    const named = byName.get(key);
    if (named !== undefined) return named;
    if (!byIndex || !INTEGER.test(key)) return undefined;
    const index = Number(key);
    return index < classes && index <= 0x7fffffff ? index : undefined;
  };
}

/**
 * The dataset labels that name none of the model's classes: an evaluation of a model on a
 * dataset with other labels is refused up front (from the label set recorded at registration)
 * rather than failing at the first such row.
 */
export function unknownLabels(
  datasetLabels: readonly string[],
  modelLabels: readonly string[],
  encoding: LabelEncoding = 'auto',
): string[] {
  const indexer = createLabelIndexer(modelLabels, encoding);
  return datasetLabels.filter((label) => indexer(label) === undefined);
}
