export { Prng } from './prng.util.js';
export type {
  Dataset,
  DenseSplit,
  DigitsDataset,
  PenguinsDataset,
  SpamDataset,
  TextSplit,
} from './datasets/dataset.types.js';
export { DIGITS_WIDTH, loadDigits } from './datasets/digits.dataset.js';
export { loadSpam } from './datasets/spam.dataset.js';
export { loadPenguins, PENGUIN_FEATURES } from './datasets/penguins.dataset.js';
export {
  formatFloat32,
  LABEL_COLUMN,
  writeDataset,
  type ColumnSpec,
  type DatasetFormat,
  type DatasetKind,
  type SplitName,
  type WriteDatasetOptions,
  type WrittenDataset,
} from './datasets/dataset-writer.js';
export { defaultDatasetSpecs, parseDatasetSpec, type DatasetSpec } from './datasets/dataset-spec.util.js';
export { attr, OnnxGraphBuilder, type Dim, type ElemType } from './onnx/onnx-graph.builder.js';
export { accuracy, type ModelReport, type TensorSpec, type TrainedModel } from './models/model.types.js';
export {
  DIGITS_MLP_V1,
  DIGITS_MLP_V2,
  trainDigitsMlp,
  type DigitsMlpConfig,
  type DigitsMlpOptions,
  type MlpExportOptions,
} from './models/digits-mlp.trainer.js';
export { DIGITS_CNN_V1, trainDigitsCnn, type DigitsCnnConfig } from './models/digits-cnn.trainer.js';
export {
  MIN_TOKEN_CHARS,
  SPAM_TEXT_V1,
  TOKEN_PATTERN,
  tokenize,
  tokenizerModel,
  trainSpamText,
  type SpamTextConfig,
} from './models/spam-text.trainer.js';
export { PENGUINS_FOREST_V1, trainPenguinsForest, type ForestConfig } from './models/penguins-forest.trainer.js';
export {
  catalogEntry,
  FAULTY_MODEL_PIXEL,
  isModelName,
  modelNames,
  SLOW_MODEL_MATMULS,
  trainModel,
  WRONG_MODEL_PERMUTATION,
  type CatalogEntry,
  type ModelName,
} from './models/model-catalog.js';
export {
  defaultModelCacheDir,
  getModel,
  getModelPath,
  modelCacheKey,
  trainerFingerprint,
  type CachedModel,
  type GetModelOptions,
} from './models/model-cache.js';
