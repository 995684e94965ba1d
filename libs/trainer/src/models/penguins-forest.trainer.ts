import { type DenseSplit } from '../datasets/dataset.types.js';
import { loadPenguins } from '../datasets/penguins.dataset.js';
import { attr, OnnxGraphBuilder } from '../onnx/onnx-graph.builder.js';
import { Prng } from '../prng.util.js';
import { fround } from '../math.util.js';
import { reportMetadata } from './digits-mlp.trainer.js';
import { accuracy, argmax, classifierOutputs, type ModelReport, type TrainedModel } from './model.types.js';

export interface ForestConfig {
  readonly trees: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  /** Features tried at each split (random subspace). */
  readonly featuresPerSplit: number;
  readonly seed: number;
}

export const PENGUINS_FOREST_V1: ForestConfig = {
  trees: 25,
  maxDepth: 4,
  minSamplesLeaf: 2,
  featuresPerSplit: 2,
  seed: 4,
};

/** A CART node: a split (`x[feature] <= threshold` goes left) or a leaf with class shares. */
export type TreeNode =
  | {
      readonly kind: 'split';
      readonly feature: number;
      readonly threshold: number;
      readonly left: TreeNode;
      readonly right: TreeNode;
    }
  | { readonly kind: 'leaf'; readonly shares: readonly number[] };

export interface Forest {
  readonly classes: number;
  readonly width: number;
  readonly trees: readonly TreeNode[];
}

function gini(counts: readonly number[], total: number): number {
  let g = 1;
  for (const c of counts) g -= (c / total) ** 2;
  return g;
}

function growTree(
  split: DenseSplit,
  classes: number,
  rows: number[],
  depth: number,
  config: ForestConfig,
  prng: Prng,
): TreeNode {
  const counts = new Array<number>(classes).fill(0);
  for (const r of rows) counts[split.labels[r]]++;
  const leaf = (): TreeNode => ({ kind: 'leaf', shares: counts.map((c) => c / rows.length) });
  if (depth >= config.maxDepth || counts.filter((c) => c > 0).length <= 1 || rows.length < 2 * config.minSamplesLeaf) {
    return leaf();
  }
  const features = Array.from(prng.permutation(split.width)).slice(0, config.featuresPerSplit);
  let best: { gain: number; feature: number; threshold: number } | undefined;
  const parent = gini(counts, rows.length);
  for (const feature of features) {
    const sorted = [...rows].sort(
      (a, b) => split.features[a * split.width + feature] - split.features[b * split.width + feature] || a - b,
    );
    const left = new Array<number>(classes).fill(0);
    const right = [...counts];
    for (let i = 0; i < sorted.length - 1; i++) {
      const label = split.labels[sorted[i]];
      left[label]++;
      right[label]--;
      const v = split.features[sorted[i] * split.width + feature];
      const next = split.features[sorted[i + 1] * split.width + feature];
      const nLeft = i + 1;
      const nRight = sorted.length - nLeft;
      if (v === next || nLeft < config.minSamplesLeaf || nRight < config.minSamplesLeaf) continue;
      const gain = parent - (nLeft * gini(left, nLeft) + nRight * gini(right, nRight)) / sorted.length;
      // float32 threshold strictly between v and next, so `<=` in float32 (ORT) splits like here
      let threshold = fround((v + next) / 2);
      if (threshold >= next) threshold = v;
      if (!best || gain > best.gain + 1e-12) best = { gain, feature, threshold };
    }
  }
  if (!best || best.gain <= 0) return leaf();
  const { feature, threshold } = best;
  const goesLeft = (r: number) => split.features[r * split.width + feature] <= threshold;
  return {
    kind: 'split',
    feature,
    threshold,
    left: growTree(split, classes, rows.filter(goesLeft), depth + 1, config, prng),
    right: growTree(
      split,
      classes,
      rows.filter((r) => !goesLeft(r)),
      depth + 1,
      config,
      prng,
    ),
  };
}

export function trainForest(config: ForestConfig, train: DenseSplit, classes: number): Forest {
  const prng = new Prng(config.seed);
  const trees: TreeNode[] = [];
  for (let t = 0; t < config.trees; t++) {
    const bootstrap = Array.from({ length: train.rows }, () => prng.int(train.rows)).sort((a, b) => a - b);
    trees.push(growTree(train, classes, bootstrap, 0, config, prng));
  }
  return { classes, width: train.width, trees };
}

/** Mean class shares over the trees, accumulated in float32 like ORT's kernel. */
export function forestScores(forest: Forest, x: Float32Array, offset: number): Float32Array {
  const scores = new Float32Array(forest.classes);
  for (const tree of forest.trees) {
    let node = tree;
    while (node.kind === 'split') node = x[offset + node.feature] <= node.threshold ? node.left : node.right;
    for (let k = 0; k < forest.classes; k++) scores[k] += fround(node.shares[k] / forest.trees.length);
  }
  return scores;
}

export function predictForest(forest: Forest, split: DenseSplit): Int32Array {
  const out = new Int32Array(split.rows);
  for (let r = 0; r < split.rows; r++) out[r] = argmax(forestScores(forest, split.features, r * split.width));
  return out;
}

/** ai.onnx.ml TreeEnsembleClassifier without ZipMap: `label` int64 [batch], `probabilities` float32 [batch, classes]. */
export function exportForest(name: string, forest: Forest, report: ModelReport): Uint8Array {
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
  };
  const leaves = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    classIds: [] as number[],
    weights: [] as number[],
  };
  forest.trees.forEach((tree, treeId) => {
    let nextId = 0;
    const visit = (node: TreeNode): number => {
      const id = nextId++;
      const at = nodes.treeIds.length;
      nodes.treeIds.push(treeId);
      nodes.nodeIds.push(id);
      if (node.kind === 'leaf') {
        nodes.featureIds.push(0);
        nodes.modes.push('LEAF');
        nodes.values.push(0);
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        node.shares.forEach((share, classId) => {
          leaves.treeIds.push(treeId);
          leaves.nodeIds.push(id);
          leaves.classIds.push(classId);
          leaves.weights.push(share / forest.trees.length);
        });
        return id;
      }
      nodes.featureIds.push(node.feature);
      nodes.modes.push('BRANCH_LEQ');
      nodes.values.push(node.threshold);
      nodes.trueIds.push(0);
      nodes.falseIds.push(0);
      nodes.trueIds[at] = visit(node.left);
      nodes.falseIds[at] = visit(node.right);
      return id;
    };
    visit(tree);
  });
  const g = new OnnxGraphBuilder(name);
  g.input('features', 'float32', ['batch', forest.width]);
  g.node(
    'TreeEnsembleClassifier',
    ['features'],
    ['label', 'probabilities'],
    {
      classlabels_int64s: attr.ints(Array.from({ length: forest.classes }, (_, k) => k)),
      nodes_treeids: attr.ints(nodes.treeIds),
      nodes_nodeids: attr.ints(nodes.nodeIds),
      nodes_featureids: attr.ints(nodes.featureIds),
      nodes_modes: attr.strings(nodes.modes),
      nodes_values: attr.floats(nodes.values),
      nodes_truenodeids: attr.ints(nodes.trueIds),
      nodes_falsenodeids: attr.ints(nodes.falseIds),
      class_treeids: attr.ints(leaves.treeIds),
      class_nodeids: attr.ints(leaves.nodeIds),
      class_ids: attr.ints(leaves.classIds),
      class_weights: attr.floats(leaves.weights),
      post_transform: attr.string('NONE'),
    },
    'ai.onnx.ml',
  );
  for (const o of classifierOutputs(forest.classes)) g.output(o.name, o.type, o.shape);
  return g.build({
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    docString: `${name}: random forest of ${forest.trees.length} CART trees on vega-datasets' penguins`,
    metadata: reportMetadata(report),
  });
}

export function trainPenguinsForest(options: { name: string; config: ForestConfig }): TrainedModel {
  const started = performance.now();
  const data = loadPenguins();
  const classes = data.labelNames.length;
  const forest = trainForest(options.config, data.train, classes);
  const trainPredictions = predictForest(forest, data.train);
  const testPredictions = predictForest(forest, data.test);
  const report: ModelReport = {
    name: options.name,
    family: 'tabular',
    inputs: [{ name: 'features', type: 'float32', shape: ['batch', data.train.width] }],
    outputs: classifierOutputs(classes),
    labels: data.labelNames,
    trainAccuracy: accuracy(trainPredictions, data.train.labels),
    testAccuracy: accuracy(testPredictions, data.test.labels),
    config: { algorithm: 'random-forest', features: data.featureNames, ...options.config },
  };
  return {
    onnx: exportForest(options.name, forest, report),
    report,
    testPredictions,
    trainingMs: performance.now() - started,
  };
}
