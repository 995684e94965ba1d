import {
  comparePredictions,
  decidePrediction,
  type ModelSignature,
  type PredictionAgreement,
  type PredictionSpec,
} from '@fledge/domain';
import { type PredictionSummary } from '@fledge/inference';

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
  /** Its rows' predictions as its inference thread read them (predictionSummary); null: they did not fit. */
  summary: PredictionSummary;
}

/**
 * Compares a shadow's predictions with the primary's, each read through its own prediction spec
 * (so a label model and a scores model compare by class name). Undefined when either variant has
 * no usable spec or the primary's outputs do not fit its own; a shadow whose outputs do not fit
 * its spec agrees nowhere.
 */
export function compareShadow(
  primary: ComparedVariant,
  shadow: ComparedVariant,
  tolerance = DEFAULT_TOLERANCE,
): PredictionAgreement | undefined {
  if (!primary.prediction || !shadow.prediction || !primary.summary) return undefined;
  if (!shadow.summary) return { rows: primary.summary.values.length, agreeing: 0 };
  return comparePredictions(primary.summary, shadow.summary, tolerance);
}
