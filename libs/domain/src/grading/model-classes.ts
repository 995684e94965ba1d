import { type ModelSignature, type ModelTask, type TensorSpec } from '../registry/registry.types.js';
import { invalidArgument } from '@fledge/errors';

const PROBABILITY_NAMES = ['probabilities', 'probability', 'probs', 'output_probability', 'scores'];
const FLOAT_TYPES = new Set(['FP32', 'FP64']);

/** The output a grading reads: class scores `[batch, classes]` (classification) or predictions (regression). */
export interface ScoreOutput {
  name: string;
  /** Scores per row: the class count, or 1 for regression. */
  width: number;
}

function fail(message: string, reason: string): never {
  throw invalidArgument(message, { reason });
}

/**
 * Picks the output to grade: a float output of rank 2 named like probabilities, else the first
 * float output of rank 2 (classification); a float output of rank 1 or `[batch, 1]` (regression).
 */
export function scoreOutput(signature: ModelSignature, task: ModelTask, classes?: number): ScoreOutput {
  const floats = signature.outputs.filter((o) => FLOAT_TYPES.has(o.datatype));
  if (task === 'regression') {
    const out = floats.find((o) => o.shape.length === 1 || (o.shape.length === 2 && o.shape[1] === 1));
    if (!out)
      fail(
        'the model has no float output shaped [batch] or [batch, 1] to grade as a regression',
        'MODEL_NO_PREDICTION_OUTPUT',
      );
    return { name: out.name, width: 1 };
  }
  const candidates = floats.filter((o) => o.shape.length === 2 && o.shape[1] !== 1);
  const named = candidates.find((o) => PROBABILITY_NAMES.includes(o.name.toLowerCase()));
  const out: TensorSpec | undefined = named ?? candidates[0];
  if (!out)
    fail('the model has no float output shaped [batch, classes] to grade as a classifier', 'MODEL_NO_SCORE_OUTPUT');
  const width = out.shape[1] > 0 ? out.shape[1] : (classes ?? -1);
  if (width < 2)
    fail(
      `the output ${out.name} has a dynamic class dimension and the model declares no labels`,
      'MODEL_CLASSES_UNKNOWN',
    );
  return { name: out.name, width };
}

/**
 * The class names of a classification model, in output order. Convention: the version's
 * registration metadata `labels` (a string array, as the trainer's report gives), else the class
 * indices `'0'..'C-1'` of its score output's width. A dataset is graded only when every one of
 * its labels names one of these classes (by name, or by index when no class name is an integer).
 */
export function modelClasses(signature: ModelSignature, metadata: Record<string, unknown>): string[] {
  const declared = metadata.labels;
  const output = scoreOutput(signature, 'classification', Array.isArray(declared) ? declared.length : undefined);
  if (declared === undefined) return Array.from({ length: output.width }, (_, i) => String(i));
  if (
    !Array.isArray(declared) ||
    !declared.every((l) => typeof l === 'string') ||
    new Set(declared).size !== declared.length
  ) {
    fail('metadata.labels must be an array of distinct class names', 'MODEL_LABELS_INVALID');
  }
  if (declared.length !== output.width) {
    fail(
      `metadata.labels names ${declared.length} classes but the output ${output.name} scores ${output.width}`,
      'MODEL_LABELS_MISMATCH',
    );
  }
  return declared as string[];
}
