/** Rows of fixed-width float features (row-major, `rows × width`) with integer class labels. */
export interface DenseSplit {
  readonly rows: number;
  readonly width: number;
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

/** Raw documents with integer class labels. */
export interface TextSplit {
  readonly rows: number;
  readonly texts: readonly string[];
  readonly labels: Int32Array;
}

export interface Dataset<S> {
  readonly name: string;
  /** Class names, indexed by label. */
  readonly labelNames: readonly string[];
  readonly train: S;
  readonly test: S;
}

export type DigitsDataset = Dataset<DenseSplit>;
export type SpamDataset = Dataset<TextSplit>;
export type PenguinsDataset = Dataset<DenseSplit> & { readonly featureNames: readonly string[] };
