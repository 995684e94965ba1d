/**
 * What a model version predicts and how its outputs are read: one choice, made at registration,
 * used by grading, shadow agreement and the canary judge alike.
 *
 * - `CLASS_LABEL`: an integer or string tensor `[batch]` holding each row's class (skl2onnx's `label`);
 * - `CLASS_SCORES`: a float tensor `[batch, classes]`, the class is its argmax;
 * - `REGRESSION`: a float tensor `[batch]` or `[batch, 1]`.
 */
export type PredictionKind = 'CLASS_LABEL' | 'CLASS_SCORES' | 'REGRESSION';

/** How class scores read: probabilities (rows in [0, 1] summing to 1) or raw logits (softmax gives probabilities). */
export type ScoreType = 'probabilities' | 'logits';

/** Where a spec's class names came from. */
export type ClassSource = 'model' | 'metadata' | 'index';

export interface PredictionSpec {
  kind: PredictionKind;
  /** The output compared between versions and graded. */
  output: string;
  /** Class names in score-column order (the names datasets label rows with); null for regression. */
  classes: string[] | null;
  classSource: ClassSource | null;
  /** CLASS_LABEL: the label output's values (as text) in class order, e.g. `['0','1','2']` or `['setosa',…]`. */
  labelValues: string[] | null;
  /** The class-score output used for probability metrics (log-loss, calibration); null when the model has none. */
  scoresOutput: string | null;
  scores: ScoreType | null;
  /** Whether the score type was declared at registration or detected from the model's own outputs. */
  scoresSource: 'declared' | 'detected' | 'assumed' | null;
}

/** What registration may override. */
export interface PredictionOverride {
  output?: string | null;
  scores?: ScoreType | null;
}

/** Facts read from the ONNX file and from probe runs of the model (see the model inspector). */
export interface ModelFacts {
  /** Class labels the graph carries (ONNX-ML classifier attributes or a constant class list), by output name. */
  outputClasses: Record<string, string[]>;
  /**
   * Per float output `[batch, classes]`: true when every row of the probe runs lay in [0, 1] and
   * summed to 1, false when one did not; absent when not probed.
   */
  probabilityLike: Record<string, boolean>;
}
