import { type TextSplit } from '../datasets/dataset.types.js';
import { loadSpam } from '../datasets/spam.dataset.js';
import { attr, OnnxGraphBuilder } from '../onnx/onnx-graph.builder.js';
import { Prng } from '../prng.util.js';
import { AdamOptimizer } from './adam.optimizer.js';
import { reportMetadata } from './digits-mlp.trainer.js';
import { accuracy, classifierOutputs, type ModelReport, type TrainedModel } from './model.types.js';
import { exp } from '../math.util.js';

export interface SpamTextConfig {
  /** Vocabulary: the most frequent tokens by document frequency in the training split. */
  readonly vocabularySize: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly seed: number;
}

export const SPAM_TEXT_V1: SpamTextConfig = {
  vocabularySize: 3000,
  epochs: 12,
  batchSize: 64,
  learningRate: 0.02,
  weightDecay: 1e-4,
  seed: 5,
};

/**
 * The tokenization the graph performs, in TypeScript: lower-case (StringNormalizer), then runs of
 * ASCII letters (Tokenizer `tokenexp`), keeping tokens of at least MIN_TOKEN_CHARS characters.
 */
export const TOKEN_PATTERN = '[a-z]+';
export const MIN_TOKEN_CHARS = 2;
/** Pads short token rows; never a token itself (not a letter). */
export const TOKEN_PAD = '#';
const tokenRegex = new RegExp(TOKEN_PATTERN, 'g');

export function tokenize(text: string): string[] {
  // towlower (ORT's StringNormalizer) maps 'İ' to 'i'; JavaScript's full case mapping to 'i̇'
  const lower = text.replaceAll('\u0130', 'i').toLowerCase();
  return (lower.match(tokenRegex) ?? []).filter((t) => t.length >= MIN_TOKEN_CHARS);
}

/**
 * Appends the in-graph twin of `tokenize`: StringNormalizer (lower-case) then the com.microsoft
 * Tokenizer, turning a string tensor [batch] into tokens [batch, maxTokens] padded with '#'.
 */
export function appendTokenizer(g: OnnxGraphBuilder, input: string, output: string): void {
  g.node('StringNormalizer', [input], [`${output}_normalized`], {
    case_change_action: attr.string('LOWER'),
    is_case_sensitive: attr.int(1),
    // the default en_US.UTF-8 locale is often not installed; C.UTF-8 always is
    locale: attr.string('C.UTF-8'),
  });
  g.node(
    'Tokenizer',
    [`${output}_normalized`],
    [output],
    {
      mark: attr.int(0),
      pad_value: attr.string(TOKEN_PAD),
      mincharnum: attr.int(MIN_TOKEN_CHARS),
      tokenexp: attr.string(TOKEN_PATTERN),
    },
    'com.microsoft',
  );
}

/** A graph of the tokenizer alone (`text` → `tokens`), to check `tokenize` against ORT. */
export function tokenizerModel(): Uint8Array {
  const g = new OnnxGraphBuilder('tokenizer');
  g.input('text', 'string', ['batch']);
  appendTokenizer(g, 'text', 'tokens');
  g.output('tokens', 'string', ['batch', 'tokens']);
  return g.build({ opsets: { '': 17, 'com.microsoft': 1 } });
}

export interface LinearTextModel {
  readonly vocabulary: readonly string[];
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export function buildVocabulary(texts: readonly string[], size: number): string[] {
  const df = new Map<string, number>();
  for (const text of texts) for (const token of new Set(tokenize(text))) df.set(token, (df.get(token) ?? 0) + 1);
  return [...df.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, size)
    .map(([token]) => token);
}

/** Indices of the vocabulary tokens present in each document (the graph's binary features). */
function featurize(split: TextSplit, index: ReadonlyMap<string, number>): Int32Array[] {
  return split.texts.map((text) => {
    const present = new Set<number>();
    for (const token of tokenize(text)) {
      const i = index.get(token);
      if (i !== undefined) present.add(i);
    }
    return Int32Array.from([...present].sort((a, b) => a - b));
  });
}

/** Logit of "spam", accumulated in float32 in vocabulary order like ORT's MatMul would approximately. */
function logit(model: LinearTextModel, features: Int32Array): number {
  let z = model.bias[0];
  for (const i of features) z += model.weights[i];
  return z;
}

export function trainLinearText(config: SpamTextConfig, train: TextSplit): LinearTextModel {
  const vocabulary = buildVocabulary(train.texts, config.vocabularySize);
  const index = new Map(vocabulary.map((t, i) => [t, i] as const));
  const docs = featurize(train, index);
  const weights = new Float32Array(vocabulary.length);
  const bias = new Float32Array(1);
  const gw = new Float64Array(weights.length);
  const gb = new Float64Array(1);
  const optimizer = new AdamOptimizer([weights, bias], config.learningRate, config.weightDecay);
  const prng = new Prng(config.seed);
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = prng.permutation(docs.length);
    for (let start = 0; start < order.length; start += config.batchSize) {
      const end = Math.min(order.length, start + config.batchSize);
      gw.fill(0);
      gb[0] = 0;
      for (let b = start; b < end; b++) {
        const doc = order[b];
        const p = 1 / (1 + exp(-logit({ vocabulary, weights, bias }, docs[doc])));
        const d = (p - train.labels[doc]) / (end - start);
        gb[0] += d;
        for (const i of docs[doc]) gw[i] += d;
      }
      optimizer.update([gw, gb]);
    }
  }
  return { vocabulary, weights, bias };
}

/** P(spam) of each document, as the TypeScript model computes it. */
export function spamProbabilities(model: LinearTextModel, texts: readonly string[]): Float64Array {
  const index = new Map(model.vocabulary.map((t, i) => [t, i] as const));
  const docs = featurize({ rows: texts.length, texts, labels: new Int32Array(texts.length) }, index);
  return Float64Array.from(docs, (d) => 1 / (1 + exp(-logit(model, d))));
}

export function predictLinearText(model: LinearTextModel, split: TextSplit): Int32Array {
  return Int32Array.from(spamProbabilities(model, split.texts), (p) => (p > 0.5 ? 1 : 0));
}

/**
 * Raw text in, probabilities out: `text` string [batch] → StringNormalizer (lower) → Tokenizer
 * (com.microsoft) → TfIdfVectorizer (binary presence of each vocabulary token) → MatMul → Add →
 * Softmax over [−z/2, z/2] (= [1−σ(z), σ(z)]).
 */
export function exportLinearText(name: string, model: LinearTextModel, report: ModelReport): Uint8Array {
  const size = model.vocabulary.length;
  const g = new OnnxGraphBuilder(name);
  g.input('text', 'string', ['batch']);
  const w = new Float32Array(size * 2);
  for (let i = 0; i < size; i++) {
    w[2 * i] = -model.weights[i] / 2;
    w[2 * i + 1] = model.weights[i] / 2;
  }
  g.floatTensor('weights', [size, 2], w);
  g.floatTensor('bias', [2], [-model.bias[0] / 2, model.bias[0] / 2]);
  appendTokenizer(g, 'text', 'tokens');
  g.node('TfIdfVectorizer', ['tokens'], ['bag'], {
    mode: attr.string('IDF'),
    min_gram_length: attr.int(1),
    max_gram_length: attr.int(1),
    max_skip_count: attr.int(0),
    ngram_counts: attr.ints([0]),
    ngram_indexes: attr.ints(Array.from({ length: size }, (_, i) => i)),
    pool_strings: attr.strings(model.vocabulary),
    weights: attr.floats(new Array<number>(size).fill(1)),
  });
  g.node('MatMul', ['bag', 'weights'], ['scores']);
  g.node('Add', ['scores', 'bias'], ['logits']);
  g.node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) });
  g.node('ArgMax', ['logits'], ['label'], { axis: attr.int(1), keepdims: attr.int(0) });
  for (const o of classifierOutputs(2)) g.output(o.name, o.type, o.shape);
  return g.build({
    opsets: { '': 17, 'com.microsoft': 1 },
    docString: `${name}: logistic regression over ${size} lower-cased word tokens of raw emails (SpamAssassin corpus)`,
    metadata: reportMetadata(report),
  });
}

export function trainSpamText(options: {
  name: string;
  config: SpamTextConfig;
}): TrainedModel & { model: LinearTextModel } {
  const started = performance.now();
  const data = loadSpam();
  const model = trainLinearText(options.config, data.train);
  const trainPredictions = predictLinearText(model, data.train);
  const testPredictions = predictLinearText(model, data.test);
  const report: ModelReport = {
    name: options.name,
    family: 'text',
    inputs: [{ name: 'text', type: 'string', shape: ['batch'] }],
    outputs: classifierOutputs(2),
    labels: data.labelNames,
    trainAccuracy: accuracy(trainPredictions, data.train.labels),
    testAccuracy: accuracy(testPredictions, data.test.labels),
    config: {
      algorithm: 'logistic-regression',
      tokenPattern: TOKEN_PATTERN,
      minTokenChars: MIN_TOKEN_CHARS,
      ...options.config,
    },
  };
  const onnx = exportLinearText(options.name, model, report);
  return { onnx, report, testPredictions, model, trainingMs: performance.now() - started };
}
