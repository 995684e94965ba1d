import { type NamedTensor, type NumericTensorData } from '@fledge/inference';

export type ComparisonKind = 'argmax' | 'meanAbsDiff';

export interface ComparisonResult {
  rows: number;
  agreeing?: number;
  absDiff?: number;
}

/** Classifier outputs ([batch, classes>1]) compare by argmax, anything else by mean absolute difference. */
export function comparisonFor(outputShape: readonly number[]): ComparisonKind {
  return outputShape.length === 2 && outputShape[1] > 1 ? 'argmax' : 'meanAbsDiff';
}

function argmaxRow(data: NumericTensorData, from: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (Number(data[from + j]) > Number(data[from + best])) best = j;
  return best;
}

/**
 * Compares a shadow's first output with the primary's. Outputs of different shapes count as
 * full disagreement (argmax) or are skipped (absDiff undefined) rather than throwing.
 */
export function compareOutputs(kind: ComparisonKind, primary: NamedTensor, shadow: NamedTensor): ComparisonResult {
  const rows = Math.max(1, primary.shape[0] ?? 1);
  const sameShape =
    primary.shape.length === shadow.shape.length && primary.shape.every((d, i) => d === shadow.shape[i]);
  if (Array.isArray(primary.data) || Array.isArray(shadow.data)) {
    const a = primary.data as unknown[];
    const b = shadow.data as unknown[];
    let agreeing = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) agreeing++;
    return { rows, agreeing: sameShape ? Math.round((agreeing / Math.max(1, a.length)) * rows) : 0 };
  }
  const a = primary.data as NumericTensorData;
  const b = shadow.data as NumericTensorData;
  if (kind === 'argmax') {
    if (!sameShape) return { rows, agreeing: 0 };
    const width = a.length / rows;
    let agreeing = 0;
    for (let r = 0; r < rows; r++) if (argmaxRow(a, r * width, width) === argmaxRow(b, r * width, width)) agreeing++;
    return { rows, agreeing };
  }
  if (!sameShape || a.length === 0) return { rows };
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(Number(a[i]) - Number(b[i]));
  return { rows, absDiff: sum / a.length };
}
