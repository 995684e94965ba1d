import {
  comparePredictions,
  decidePrediction,
  rowPredictions,
  type ModelSignature,
  type OutputValue,
  type PredictionAgreement,
  type PredictionSpec,
} from '@fledge/domain';

/** Default relative tolerance for regression agreement when the desired state names none. */
const DEFAULT_TOLERANCE = 0.05;

/**
 * A variant's prediction spec when the desired state carries none (an older control plane): a
 * classifier's layout when its outputs have one, else a regression value, else nothing.
 */
export function predictionFromSignature(signature: ModelSignature): PredictionSpec | null {
  for (const task of ['classification', 'regression'] as const) {
    try {
      return decidePrediction({ signature, task });
    } catch {
      // try the next task
    }
  }
  return null;
}

export interface ComparedVariant {
  prediction: PredictionSpec | null;
  outputs: readonly OutputValue[];
}

/**
 * Compares a shadow's predictions with the primary's, each read through its own prediction spec
 * (so a label model and a scores model compare by class name). Undefined when either variant has
 * no usable spec; outputs that do not fit their spec agree nowhere rather than throwing.
 */
export function compareShadow(
  primary: ComparedVariant,
  shadow: ComparedVariant,
  tolerance = DEFAULT_TOLERANCE,
): PredictionAgreement | undefined {
  if (!primary.prediction || !shadow.prediction) return undefined;
  let expected;
  try {
    expected = rowPredictions(primary.prediction, primary.outputs);
  } catch {
    return undefined;
  }
  let actual;
  try {
    actual = rowPredictions(shadow.prediction, shadow.outputs);
  } catch {
    return { rows: expected.values.length, agreeing: 0 };
  }
  return comparePredictions(expected, actual, tolerance);
}
