import { invalidArgument } from '@fledge/errors';

import { cellOf, type CsvHeader, CsvRow } from './csv.parser.js';
import { type DatasetRow } from './dataset.types.js';
import { DatasetErrorReason, rowError, type RowPosition } from './dataset.errors.js';
import { createLabelIndexer, type LabelEncoding, type LabelIndexer } from './label.indexer.js';
import { allocateTensorData, type TensorData, type TensorDataType, type TensorSpec } from './tensor.types.js';

export type ModelTask = 'classification' | 'regression';

export interface RowDecoderOptions {
  /** The model's inputs; the first dimension of each is the batch dimension. */
  readonly inputs: readonly TensorSpec[];
  readonly featureColumns: readonly string[];
  /** Absent when rows carry no label (serving). */
  readonly labelColumn?: string;
  readonly task: ModelTask;
  /** Class names in the model's output order (classification). */
  readonly labels?: readonly string[];
  readonly labelEncoding?: LabelEncoding;
}

/** Where one model input's values come from. */
export interface InputPlan {
  readonly name: string;
  readonly datatype: TensorDataType;
  /**
   * One column (holding an array, flattened, or a scalar) or several scalar columns filling
   * the input in order (tabular rows).
   */
  readonly columns: readonly string[];
  /** The non-batch dimensions; a dynamic one is fixed by the first row decoded. */
  readonly rowShape: readonly number[];
  /** Elements per row, the product of `rowShape`; -1 until the first row fixes a dynamic dim. */
  readonly elements: number;
}

/** One decoded row (for single rows; batches are written in place by {@link BatchBuilder}). */
export interface DecodedRow {
  readonly inputs: Record<string, TensorData>;
  readonly label?: number;
}

interface MutablePlan {
  name: string;
  datatype: TensorDataType;
  columns: string[];
  rowShape: number[];
  elements: number;
  /** The index in `rowShape` of the dimension still dynamic, or -1. */
  dynamicDim: number;
  /** The product of the fixed dimensions of `rowShape`. */
  fixedElements: number;
  positions?: readonly number[];
  positionsHeader?: CsvHeader;
}

type Store = { [index: number]: number | bigint | string; length: number };

const INTEGER_RANGE: Partial<Record<TensorDataType, [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  UINT16: [0, 65535],
  INT32: [-2147483648, 2147483647],
  UINT32: [0, 4294967295],
};
const BIGINT_RANGE: Partial<Record<TensorDataType, [bigint, bigint]>> = {
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT64: [0n, 2n ** 64n - 1n],
};
const MAX_LISTED_CLASSES = 20;

function mismatch(message: string): Error {
  return invalidArgument(message, { reason: DatasetErrorReason.SIGNATURE_MISMATCH });
}

function product(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) if (d !== -1) n *= d;
  return n;
}

/**
 * A list of values: a JSON array, or a Float64Array (the OIP JSON scanner returns arrays holding
 * only numbers that way).
 */
function isList(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || value instanceof Float64Array;
}

function preview(raw: unknown): string {
  const value = raw instanceof Float64Array ? Array.from(raw) : raw;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Counts the scalars of a value, descending into nested arrays (images given as rows of pixels). */
function leafCount(value: unknown): number {
  if (!isList(value)) return 1;
  if (value.length === 0 || !isList(value[0])) return value.length;
  let n = 0;
  for (let i = 0; i < value.length; i++) n += leafCount(value[i]);
  return n;
}

/**
 * Turns dataset rows into model inputs and a label, following the column → input rules:
 * - one input and one feature column: the column fills the input (an array is flattened and its
 *   element count must equal the input's non-batch dims; a string column feeds a string input);
 * - one input whose non-batch dims hold N values and N scalar feature columns: they fill it in
 *   order (tabular rows);
 * - several inputs: each takes the feature column of its own name.
 * Mapping problems are found here, before any row (DATASET_SIGNATURE_MISMATCH); problems of a
 * row name the row, the column and the input (DATASET_ROW_INVALID, DATASET_LABEL_UNKNOWN).
 * A dynamic non-batch dimension is fixed by the first row decoded, so use one decoder per pass
 * over a dataset when the model has one.
 */
export class RowDecoder {
  private readonly plans: MutablePlan[];
  private readonly labelColumn?: string;
  readonly task: ModelTask;
  private readonly labels?: readonly string[];
  private readonly indexer?: LabelIndexer;

  constructor(options: RowDecoderOptions) {
    this.plans = planInputs(options.inputs, options.featureColumns);
    this.labelColumn = options.labelColumn;
    this.task = options.task;
    this.labels = options.labels;
    if (options.labelColumn !== undefined && options.featureColumns.includes(options.labelColumn)) {
      throw mismatch(`the label column ${options.labelColumn} is also a feature column`);
    }
    if (options.task === 'classification' && options.labelColumn !== undefined) {
      this.indexer = createLabelIndexer(options.labels, options.labelEncoding);
    }
  }

  get inputs(): readonly InputPlan[] {
    return this.plans;
  }

  get hasLabels(): boolean {
    return this.labelColumn !== undefined;
  }

  /** Fixes dynamic non-batch dims from this row; a no-op once every input's size is known. */
  resolve(row: DatasetRow): void {
    for (const plan of this.plans) {
      if (plan.elements !== -1) continue;
      const value = this.valueOf(row, plan, plan.columns[0]);
      const count = leafCount(value);
      if (count === 0 || count % plan.fixedElements !== 0) {
        throw rowError(
          row,
          `column ${plan.columns[0]} has ${count} values, input ${plan.name} of shape ${shapeText(plan)} cannot hold them`,
          { column: plan.columns[0], input: plan.name },
        );
      }
      plan.rowShape[plan.dynamicDim] = count / plan.fixedElements;
      plan.elements = count;
    }
  }

  /**
   * Writes the row's inputs at row slot `slot` of `targets` (one per input, in `inputs` order,
   * each holding at least `(slot + 1) * elements` values). Call `resolve` on the first row first.
   */
  writeInputs(row: DatasetRow, targets: readonly TensorData[], slot: number): void {
    for (let p = 0; p < this.plans.length; p++) {
      const plan = this.plans[p];
      const target = targets[p];
      const offset = slot * plan.elements;
      if (plan.columns.length === 1) {
        this.writeColumn(row, plan, plan.columns[0], target, offset);
      } else {
        const positions = row instanceof CsvRow ? this.positionsIn(row.header, plan) : undefined;
        for (let j = 0; j < plan.columns.length; j++) {
          const at = positions?.[j] ?? -1;
          const value = at === -1 ? this.valueOf(row, plan, plan.columns[j]) : (row as CsvRow).fields[at];
          if (isList(value)) {
            throw rowError(
              row,
              `column ${plan.columns[j]} holds ${leafCount(value)} values, input ${plan.name} takes one value from each of its ${plan.columns.length} columns`,
              { column: plan.columns[j], input: plan.name },
            );
          }
          store(target, offset + j, convert(value, plan.datatype, row, plan, plan.columns[j], -1));
        }
      }
    }
  }

  /** The row's class index (classification) or target value (regression). */
  label(row: DatasetRow): number {
    const column = this.labelColumn;
    if (column === undefined) throw new Error('this decoder has no label column');
    const value = cellOf(row, column);
    if (value === undefined || value === null || value === '') {
      throw rowError(
        row,
        value === undefined ? `lacks the label column ${column}` : `the label column ${column} is empty`,
        {
          column,
        },
      );
    }
    if (this.task === 'regression') {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
      if (Number.isNaN(n)) throw rowError(row, `the label ${preview(value)} is not a number`, { column });
      return n;
    }
    const index = this.indexer!(value);
    if (index === undefined) {
      const known = this.labels
        ? `one of the model's classes (${this.labels.slice(0, MAX_LISTED_CLASSES).join(', ')}${this.labels.length > MAX_LISTED_CLASSES ? ', ...' : ''})`
        : 'a class index (a non-negative integer)';
      throw rowError(
        row,
        `the label ${preview(value)} is not ${known}`,
        { column, value: preview(value) },
        DatasetErrorReason.LABEL_UNKNOWN,
      );
    }
    return index;
  }

  /** Decodes one row into fresh arrays (a request or a test; batches use {@link BatchBuilder}). */
  decode(row: DatasetRow): DecodedRow {
    this.resolve(row);
    const targets = this.plans.map((p) => allocateTensorData(p.datatype, p.elements));
    this.writeInputs(row, targets, 0);
    const inputs: Record<string, TensorData> = {};
    this.plans.forEach((p, i) => (inputs[p.name] = targets[i]));
    return this.hasLabels ? { inputs, label: this.label(row) } : { inputs };
  }

  /** The header positions of a tabular input's columns (-1 when absent), computed once per header. */
  private positionsIn(header: CsvHeader, plan: MutablePlan): readonly number[] {
    if (plan.positionsHeader !== header) {
      plan.positions = plan.columns.map((c) => header.index.get(c) ?? -1);
      plan.positionsHeader = header;
    }
    return plan.positions!;
  }

  private valueOf(row: DatasetRow, plan: MutablePlan, column: string): unknown {
    const value = cellOf(row, column);
    if (value === undefined || value === null) {
      throw rowError(
        row,
        value === undefined
          ? `lacks the feature column ${column} (input ${plan.name})`
          : `the feature column ${column} is null (input ${plan.name})`,
        { column, input: plan.name },
      );
    }
    return value;
  }

  private writeColumn(row: DatasetRow, plan: MutablePlan, column: string, target: TensorData, offset: number): void {
    const value = this.valueOf(row, plan, column);
    if (!isList(value)) {
      if (plan.elements !== 1) {
        throw rowError(row, `column ${column} has 1 value, input ${plan.name} expects ${plan.elements}`, {
          column,
          input: plan.name,
          values: 1,
          expected: plan.elements,
        });
      }
      store(target, offset, convert(value, plan.datatype, row, plan, column, -1));
      return;
    }
    const flat = value.length === 0 || !isList(value[0]);
    const count = flat ? value.length : leafCount(value);
    if (count !== plan.elements) {
      throw rowError(row, `column ${column} has ${count} values, input ${plan.name} expects ${plan.elements}`, {
        column,
        input: plan.name,
        values: count,
        expected: plan.elements,
      });
    }
    if (!flat) {
      writeNested(value, target, offset, row, plan, column);
      return;
    }
    if (target instanceof Float32Array || target instanceof Float64Array) {
      // The hot path (pixels): plain numbers go straight in, anything else through `convert`.
      for (let i = 0; i < count; i++) {
        const v = value[i];
        target[offset + i] = typeof v === 'number' ? v : (convert(v, plan.datatype, row, plan, column, i) as number);
      }
      return;
    }
    for (let i = 0; i < count; i++) store(target, offset + i, convert(value[i], plan.datatype, row, plan, column, i));
  }
}

export function createRowDecoder(options: RowDecoderOptions): RowDecoder {
  return new RowDecoder(options);
}

function writeNested(
  value: ArrayLike<unknown>,
  target: TensorData,
  offset: number,
  row: DatasetRow,
  plan: MutablePlan,
  column: string,
): number {
  let at = offset;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (isList(item)) at = writeNested(item, target, at, row, plan, column);
    else {
      store(target, at, convert(item, plan.datatype, row, plan, column, at - offset));
      at++;
    }
  }
  return at;
}

function store(target: TensorData, index: number, value: number | bigint | string): void {
  (target as unknown as Store)[index] = value;
}

function shapeText(plan: MutablePlan): string {
  return `[${['batch', ...plan.rowShape.map((d) => (d === -1 ? '?' : String(d)))].join(',')}]`;
}

function planInputs(inputs: readonly TensorSpec[], featureColumns: readonly string[]): MutablePlan[] {
  if (inputs.length === 0) throw mismatch('the model has no inputs');
  if (featureColumns.length === 0) throw mismatch('no feature columns are declared');
  if (new Set(featureColumns).size !== featureColumns.length) throw mismatch('a feature column is declared twice');
  const plans = inputs.map((spec) => {
    if (spec.shape.length === 0) throw mismatch(`input ${spec.name} is a scalar: it has no batch dimension`);
    const rowShape = spec.shape.slice(1);
    const dynamic = rowShape.filter((d) => d === -1).length;
    if (dynamic > 1) {
      throw mismatch(
        `input ${spec.name} of shape [${spec.shape.join(',')}] has more than one dynamic non-batch dimension`,
      );
    }
    const fixedElements = product(rowShape);
    return {
      name: spec.name,
      datatype: spec.datatype,
      columns: [] as string[],
      rowShape,
      elements: dynamic === 0 ? fixedElements : -1,
      dynamicDim: rowShape.indexOf(-1),
      fixedElements,
    };
  });

  if (plans.length > 1) {
    for (const plan of plans) {
      if (!featureColumns.includes(plan.name)) {
        throw mismatch(
          `the model has several inputs, each filled by the feature column of its name, but no feature column is named ${plan.name} (declared: ${featureColumns.join(', ')})`,
        );
      }
      plan.columns = [plan.name];
    }
    const unused = featureColumns.filter((c) => !plans.some((p) => p.name === c));
    if (unused.length > 0) throw mismatch(`feature column ${unused.join(', ')} matches no model input`);
    return plans;
  }

  const plan = plans[0];
  plan.columns = [...featureColumns];
  if (featureColumns.length === 1) return plans;
  const n = featureColumns.length;
  if (plan.elements === -1) {
    if (n % plan.fixedElements !== 0) {
      throw mismatch(
        `input ${plan.name} of shape ${shapeText(plan)} cannot hold one value from each of ${n} feature columns`,
      );
    }
    plan.rowShape[plan.dynamicDim] = n / plan.fixedElements;
    plan.elements = n;
  } else if (plan.elements !== n) {
    throw mismatch(
      `input ${plan.name} takes ${plan.elements} values per row, but ${n} feature columns are declared (one column holding an array, or one scalar column per value)`,
    );
  }
  return plans;
}

/** Why a value cannot be an element (a class, so that success allocates nothing). */
class Problem {
  constructor(readonly text: string) {}
}

/** One scalar of a row as the input's element type; `element` is its index in an array column, or -1. */
function convert(
  value: unknown,
  datatype: TensorDataType,
  position: RowPosition,
  plan: MutablePlan,
  column: string,
  element: number,
): number | bigint | string {
  const result = toElement(value, datatype);
  if (!(result instanceof Problem)) return result;
  const where = element === -1 ? `column ${column}` : `column ${column} element ${element}`;
  throw rowError(position, `${where}: ${result.text} (input ${plan.name}, ${datatype})`, {
    column,
    input: plan.name,
    ...(element === -1 ? {} : { element }),
  });
}

function toElement(value: unknown, datatype: TensorDataType): number | bigint | string | Problem {
  if (datatype === 'BYTES') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return new Problem(`${preview(value)} is not text`);
  }
  if (datatype === 'BOOL') {
    if (value === true || value === 1 || value === 'true' || value === '1') return 1;
    if (value === false || value === 0 || value === 'false' || value === '0') return 0;
    return new Problem(`${preview(value)} is not a boolean`);
  }
  const bigRange = BIGINT_RANGE[datatype];
  if (bigRange) {
    let big: bigint;
    if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
    else if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) big = BigInt(value.trim());
    else return new Problem(`${preview(value)} is not an integer`);
    if (big < bigRange[0] || big > bigRange[1]) return new Problem(`${preview(value)} is out of range`);
    return big;
  }
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    // Number() ignores surrounding whitespace but reads "" and " " as 0: emptiness is checked apart.
    n = Number(value);
    if (n === 0 && value.trim().length === 0) return new Problem('empty, expected a number');
  } else n = Number.NaN;
  if (Number.isNaN(n)) return new Problem(`${preview(value)} is not a number`);
  const range = INTEGER_RANGE[datatype];
  if (range) {
    if (!Number.isInteger(n)) return new Problem(`${preview(value)} is not an integer`);
    if (n < range[0] || n > range[1]) return new Problem(`${preview(value)} is out of range`);
  }
  return n;
}
