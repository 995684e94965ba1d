import { invalidArgument } from '@fledge/errors';

import { type ModelSignature, type ModelTask, type TensorSpec } from '../registry/registry.types.js';
import { type ModelFacts, type PredictionOverride, type PredictionSpec, type ScoreType } from './prediction.types.js';

const PROBABILITY_NAMES = ['probabilities', 'probability', 'probs', 'output_probability', 'scores'];
const FLOAT_TYPES = new Set(['FP32', 'FP64']);
const LABEL_TYPES = new Set(['INT64', 'INT32', 'BYTES']);

function fail(message: string, reason: string): never {
  throw invalidArgument(message, { reason });
}

const isRowVector = (o: TensorSpec) => o.shape.length === 1 || (o.shape.length === 2 && o.shape[1] === 1);
const isLabel = (o: TensorSpec) => LABEL_TYPES.has(o.datatype) && isRowVector(o);
const isScores = (o: TensorSpec) => FLOAT_TYPES.has(o.datatype) && o.shape.length === 2 && o.shape[1] !== 1;
const isRegression = (o: TensorSpec) => FLOAT_TYPES.has(o.datatype) && isRowVector(o);

export interface DecidePredictionInput {
  signature: ModelSignature;
  task: ModelTask;
  /** Registration metadata: `labels` (distinct strings, in class order) overrides the class names. */
  metadata?: Record<string, unknown>;
  facts?: ModelFacts;
  override?: PredictionOverride;
}

/**
 * Decides what a model version predicts from its signature, task, the facts read from its file
 * and the registration's override. A classifier with a label output (skl2onnx writes `label`
 * first and `probabilities` second) is compared on its labels and graded with its scores; one
 * with only scores on their argmax. Throws INVALID_ARGUMENT naming what does not fit.
 */
export function decidePrediction(input: DecidePredictionInput): PredictionSpec {
  const { signature, task, facts, override } = input;
  const outputs = signature.outputs;
  const chosen = override?.output ? outputs.find((o) => o.name === override.output) : undefined;
  if (override?.output && !chosen) {
    fail(
      `the model has no output ${override.output} (its outputs: ${outputs.map((o) => o.name).join(', ') || 'none'})`,
      'PREDICTION_OUTPUT_UNKNOWN',
    );
  }

  if (task === 'regression') {
    if (override?.scores) fail('a score type applies only to classifiers', 'PREDICTION_SCORES_INVALID');
    const out = chosen ?? outputs.find(isRegression);
    if (!out) {
      fail(
        'the model has no float output shaped [batch] or [batch, 1] to predict a value',
        'MODEL_NO_PREDICTION_OUTPUT',
      );
    }
    if (!isRegression(out)) {
      fail(
        `the output ${out.name} is not a float [batch] or [batch, 1] tensor: it cannot be a regression value`,
        'PREDICTION_OUTPUT_INVALID',
      );
    }
    return {
      kind: 'REGRESSION',
      output: out.name,
      classes: null,
      classSource: null,
      labelValues: null,
      scoresOutput: null,
      scores: null,
      scoresSource: null,
    };
  }

  if (chosen && !isLabel(chosen) && !isScores(chosen)) {
    fail(
      `the output ${chosen.name} (${chosen.datatype} [${chosen.shape.join(', ')}]) is neither a class label [batch] nor class scores [batch, classes]`,
      'PREDICTION_OUTPUT_INVALID',
    );
  }
  const scoreCandidates = outputs.filter(isScores);
  const scoresOut =
    chosen && isScores(chosen)
      ? chosen
      : (scoreCandidates.find((o) => PROBABILITY_NAMES.includes(o.name.toLowerCase())) ?? scoreCandidates[0]);
  const labelOut = chosen ? (isLabel(chosen) ? chosen : undefined) : outputs.find(isLabel);
  if (!labelOut && !scoresOut) {
    fail(
      'the model has no class label output [batch] nor class scores output [batch, classes] to predict a class',
      'MODEL_NO_SCORE_OUTPUT',
    );
  }

  const modelClasses = modelClassList(facts, labelOut?.name, scoresOut?.name);
  const width = scoresOut && scoresOut.shape[1] > 0 ? scoresOut.shape[1] : (modelClasses?.length ?? null);
  const declared = declaredLabels(input.metadata);
  const count = modelClasses?.length ?? width ?? declared?.length ?? null;
  if (declared && count !== null && declared.length !== count) {
    fail(
      modelClasses
        ? `metadata.labels names ${declared.length} classes but the model has ${count}`
        : `metadata.labels names ${declared.length} classes but the model's output ${scoresOut!.name} scores ${count}`,
      'MODEL_LABELS_MISMATCH',
    );
  }
  if (modelClasses && width !== null && modelClasses.length !== width) {
    fail(
      `the model names ${modelClasses.length} classes but its output ${scoresOut!.name} scores ${width}`,
      'MODEL_LABELS_MISMATCH',
    );
  }
  const indices = count !== null ? Array.from({ length: count }, (_, i) => String(i)) : null;
  const classes = declared ?? modelClasses ?? indices;
  const classSource = declared ? 'metadata' : modelClasses ? 'model' : indices ? 'index' : null;
  if (classes !== null && classes.length < 2) fail('a classifier needs at least two classes', 'MODEL_CLASSES_UNKNOWN');

  let labelValues: string[] | null = null;
  if (labelOut) {
    // The label output holds the model's own class values; without them a string label can only mean the names.
    labelValues = modelClasses ?? (labelOut.datatype === 'BYTES' ? classes : indices);
  }

  let scores: ScoreType | null = null;
  let scoresSource: PredictionSpec['scoresSource'] = null;
  if (scoresOut) {
    const probed = facts?.probabilityLike[scoresOut.name];
    if (override?.scores) {
      scores = override.scores;
      scoresSource = 'declared';
    } else if (probed !== undefined) {
      scores = probed ? 'probabilities' : 'logits';
      scoresSource = 'detected';
    } else {
      scores = 'probabilities';
      scoresSource = 'assumed';
    }
  } else if (override?.scores) {
    fail('the model has no class scores output for a score type to apply to', 'PREDICTION_SCORES_INVALID');
  }

  return {
    kind: labelOut ? 'CLASS_LABEL' : 'CLASS_SCORES',
    output: (labelOut ?? scoresOut)!.name,
    classes,
    classSource,
    labelValues,
    scoresOutput: scoresOut?.name ?? null,
    scores,
    scoresSource,
  };
}

/** The stored spec of a version, or (for versions registered before specs existed) the one its signature gives. */
export function predictionOf(version: {
  prediction?: PredictionSpec | null;
  signature: ModelSignature;
  metadata: Record<string, unknown>;
  task: ModelTask;
}): PredictionSpec {
  return (
    version.prediction ??
    decidePrediction({ signature: version.signature, task: version.task, metadata: version.metadata })
  );
}

/** The class names of a classifier's spec; refuses a spec whose classes are unknown. */
export function predictionClasses(spec: PredictionSpec): string[] {
  if (spec.kind === 'REGRESSION') fail('a regression model has no classes', 'MODEL_NOT_CLASSIFIER');
  if (!spec.classes) {
    fail(
      `the model's classes are unknown: its output ${spec.output} has a dynamic class dimension and the model declares no labels (register it with metadata.labels)`,
      'MODEL_CLASSES_UNKNOWN',
    );
  }
  return spec.classes;
}

function declaredLabels(metadata: Record<string, unknown> | undefined): string[] | null {
  const declared = metadata?.labels;
  if (declared === undefined || declared === null) return null;
  if (
    !Array.isArray(declared) ||
    !declared.every((l) => typeof l === 'string') ||
    new Set(declared).size !== declared.length
  ) {
    fail('metadata.labels must be an array of distinct class names', 'MODEL_LABELS_INVALID');
  }
  return declared as string[];
}

function modelClassList(facts: ModelFacts | undefined, ...names: (string | undefined)[]): string[] | null {
  if (!facts) return null;
  for (const name of names) if (name && facts.outputClasses[name]) return facts.outputClasses[name];
  return null;
}

/** Checks a parsed value is a prediction spec (for specs read back from JSON: desired state, database). */
export function isPredictionSpec(value: unknown): value is PredictionSpec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const strings = (x: unknown) => x === null || (Array.isArray(x) && x.every((s) => typeof s === 'string'));
  return (
    (v.kind === 'CLASS_LABEL' || v.kind === 'CLASS_SCORES' || v.kind === 'REGRESSION') &&
    typeof v.output === 'string' &&
    strings(v.classes) &&
    strings(v.labelValues) &&
    (v.scoresOutput === null || typeof v.scoresOutput === 'string') &&
    (v.scores === null || v.scores === 'probabilities' || v.scores === 'logits')
  );
}
