import { checkFieldCount, CsvHeader, CsvRow, CsvSyntaxError, csvSyntaxRowError, CsvTokenizer } from './csv.parser.js';
import { type RowPosition } from './dataset.errors.js';
import { jsonlRowValues, parseJsonlText } from './jsonl.parser.js';
import { type DatasetFormat, type DatasetRow } from './dataset.types.js';
import { isBlankLine, type RecordSlice } from './record.splitter.js';
import { type RowDecoder } from './row.decoder.js';
import { type TensorData } from './tensor.types.js';

const LF = 0x0a;
const CR = 0x0d;

export interface SliceDecoderOptions {
  readonly format: DatasetFormat;
  /** A decoder whose inputs all have a known size (no dynamic non-batch dimension left). */
  readonly decoder: RowDecoder;
  /** The CSV header's names (from the splitter). */
  readonly header?: readonly string[];
  /**
   * Parses one JSON Lines row from its bytes (serving's JSON scanner); it may return number
   * arrays as Float64Array. A row it refuses is parsed again by JSON.parse, whose verdict and
   * message are the single-threaded reader's.
   */
  readonly parseJson: (bytes: Uint8Array) => unknown;
}

export interface DecodedSlice {
  readonly rows: number;
  readonly firstRow: number;
  readonly lastRow: number;
}

/**
 * Decodes the rows of a {@link RecordSlice} into batch buffers (row slot 0 upwards): the same
 * rows, values, errors and error positions as the single-threaded readers and BatchBuilder give
 * for those rows, first error first.
 */
export class SliceDecoder {
  private readonly header?: CsvHeader;
  private readonly text = new TextDecoder();

  constructor(private readonly options: SliceDecoderOptions) {
    if (options.decoder.inputs.some((p) => p.elements === -1)) {
      throw new Error('a slice decoder needs inputs of known size');
    }
    if (options.header) this.header = new CsvHeader(options.header);
  }

  decode(slice: RecordSlice, targets: readonly TensorData[], labels?: Int32Array | Float64Array): DecodedSlice {
    let slot = 0;
    const add = (row: DatasetRow) => {
      this.options.decoder.writeInputs(row, targets, slot);
      if (labels) labels[slot] = this.options.decoder.label(row);
      slot++;
    };
    if (this.options.format === 'csv') this.csvRows(slice, add);
    else this.jsonlRows(slice, add);
    if (slot !== slice.rows) throw new Error(`the slice holds ${slot} rows, the splitter counted ${slice.rows}`);
    return { rows: slot, firstRow: slice.firstRow, lastRow: slice.firstRow + slot - 1 };
  }

  private jsonlRows(slice: RecordSlice, add: (row: DatasetRow) => void): void {
    // Buffer's indexOf is memchr; a plain Uint8Array's is an element-by-element search.
    const bytes = Buffer.from(slice.bytes.buffer, slice.bytes.byteOffset, slice.bytes.byteLength);
    let line = slice.startLine - 1;
    let rowNumber = slice.firstRow - 1;
    let from = 0;
    while (from < bytes.length) {
      let at = bytes.indexOf(LF, from);
      if (at === -1) at = bytes.length;
      line++;
      const end = at > from && bytes[at - 1] === CR ? at - 1 : at;
      const content = bytes.subarray(from, end);
      from = at + 1;
      if (isBlankLine(content)) continue;
      rowNumber++;
      add({ rowNumber, line, values: this.parseRow(content, { rowNumber, line }) });
    }
  }

  private parseRow(content: Uint8Array, position: RowPosition): Record<string, unknown> {
    let values: unknown;
    try {
      values = this.options.parseJson(content);
    } catch {
      values = parseJsonlText(this.text.decode(content), position);
    }
    return jsonlRowValues(values, position);
  }

  private csvRows(slice: RecordSlice, add: (row: DatasetRow) => void): void {
    const header = this.header!;
    const rows: CsvRow[] = [];
    let rowNumber = slice.firstRow - 1;
    const tokenizer = new CsvTokenizer(
      (fields, line) => {
        rowNumber++;
        checkFieldCount(fields, header, { rowNumber, line });
        rows.push(new CsvRow(rowNumber, line, fields, header));
      },
      Number.POSITIVE_INFINITY,
      // Records before the slice: the header and the rows before its first.
      { line: slice.startLine, records: slice.firstRow },
    );
    let failure: unknown;
    try {
      tokenizer.push(this.text.decode(slice.bytes));
      tokenizer.end();
    } catch (error) {
      failure = error instanceof CsvSyntaxError ? csvSyntaxRowError(error) : error;
    }
    // Rows before a syntax error are decoded first: one of them may fail earlier.
    for (const row of rows) add(row);
    if (failure !== undefined) throw failure;
  }
}
