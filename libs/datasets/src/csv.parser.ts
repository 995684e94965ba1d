import { type DatasetRow } from './dataset.types.js';
import { DatasetErrorReason, datasetError, rowError, type RowPosition } from './dataset.errors.js';

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** Just after a quote inside a quoted field: an escaped quote or the end of the field. */
  QuoteInQuoted,
}

/** A syntax error at a record; `record` 0 is the header. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly record: number,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * A streaming RFC 4180 tokenizer: fields separated by commas, records by CRLF, LF or a lone CR,
 * fields optionally quoted with `"` (holding commas, line breaks and `""` for a quote). Text may
 * be split anywhere between `push` calls. Blank lines are skipped. A quote inside an unquoted
 * field is kept as a character (common in real files, harmless); anything but a separator after
 * a closing quote is an error.
 */
export class CsvTokenizer {
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private line: number;
  private recordLine: number;
  private records: number;
  private afterCr = false;

  /**
   * `start` resumes numbering inside a file: the line the text begins on and the records (the
   * header included) before it, so that a slice of a file cut at a record boundary reports the
   * same positions as the whole file would.
   */
  constructor(
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly maxRecordLength = Number.POSITIVE_INFINITY,
    start: { readonly line: number; readonly records: number } = { line: 1, records: 0 },
  ) {
    this.line = start.line;
    this.recordLine = start.line;
    this.records = start.records;
  }

  push(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            this.state = State.Quoted;
            i++;
          } else if (c === COMMA) {
            this.fields.push('');
            i++;
          } else if (c === LF || c === CR) {
            if (this.fields.length > 0) this.fields.push('');
            i = this.endRecord(text, i);
          } else {
            this.state = State.Unquoted;
          }
          break;
        }
        case State.Unquoted: {
          const start = i;
          let c = 0;
          while (i < n) {
            c = text.charCodeAt(i);
            if (c === COMMA || c === LF || c === CR) break;
            i++;
          }
          this.field += text.slice(start, i);
          if (i === n) break;
          this.fields.push(this.field);
          this.field = '';
          if (c === COMMA) {
            this.state = State.FieldStart;
            i++;
          } else {
            i = this.endRecord(text, i);
          }
          break;
        }
        case State.Quoted: {
          const end = text.indexOf('"', i);
          const stop = end === -1 ? n : end;
          const part = text.slice(i, stop);
          this.field += part;
          this.countLines(part);
          if (end === -1) {
            i = n;
          } else {
            this.state = State.QuoteInQuoted;
            i = end + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === COMMA) {
            this.fields.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            i++;
          } else if (c === LF || c === CR) {
            this.fields.push(this.field);
            this.field = '';
            i = this.endRecord(text, i);
          } else {
            throw new CsvSyntaxError(
              `unexpected character ${JSON.stringify(text[i])} after the closing quote of a field (quotes inside a quoted field are written "")`,
              this.records,
              this.line,
            );
          }
          break;
        }
      }
    }
    this.checkRecordLength();
  }

  end(): void {
    this.afterCr = false;
    if (this.state === State.Quoted) {
      throw new CsvSyntaxError(
        `a quoted field opened on line ${this.recordLine} is never closed`,
        this.records,
        this.recordLine,
      );
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) {
      this.fields.push(this.field);
      this.field = '';
      this.emit();
    }
  }

  /** Ends the record at the line break at `i`; returns the index after the break. */
  private endRecord(text: string, i: number): number {
    const isCr = text.charCodeAt(i) === CR;
    this.line++;
    if (this.fields.length > 0) this.emit();
    this.recordLine = this.line;
    this.state = State.FieldStart;
    if (!isCr) return i + 1;
    if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    this.afterCr = true;
    return i + 1;
  }

  private emit(): void {
    const fields = this.fields;
    this.fields = [];
    this.records++;
    this.onRecord(fields, this.recordLine);
  }

  /** Only a record spanning chunks can grow without bound; checked once per chunk. */
  private checkRecordLength(): void {
    let length = this.field.length;
    for (const f of this.fields) length += f.length;
    if (length > this.maxRecordLength) {
      throw new CsvSyntaxError(
        `the row is longer than ${this.maxRecordLength} characters (is a quoted field never closed?)`,
        this.records,
        this.recordLine,
      );
    }
  }

  private countLines(part: string): void {
    let at = part.indexOf('\n');
    while (at !== -1) {
      this.line++;
      at = part.indexOf('\n', at + 1);
    }
  }
}

/** A CSV header: its names and their positions. */
export class CsvHeader {
  readonly index: ReadonlyMap<string, number>;

  constructor(readonly names: readonly string[]) {
    this.index = new Map(names.map((name, j) => [name, j]));
  }
}

/**
 * A CSV row keeping its fields as an array. `values` is built on first use only: an object of
 * hundreds of columns (784 pixels) becomes a hash table in V8 and costs more than parsing the
 * row, so the decoder and the inspector read cells by position through `cell`.
 */
export class CsvRow implements DatasetRow {
  private built?: Record<string, unknown>;

  constructor(
    readonly rowNumber: number,
    readonly line: number,
    readonly fields: readonly string[],
    readonly header: CsvHeader,
  ) {}

  get values(): Record<string, unknown> {
    if (!this.built) {
      const values: Record<string, unknown> = {};
      const names = this.header.names;
      for (let j = 0; j < names.length; j++) {
        // A plain assignment to `__proto__` would set the prototype (or be ignored), not a column.
        if (names[j] === '__proto__') {
          Object.defineProperty(values, names[j], {
            value: this.fields[j],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          values[names[j]] = this.fields[j];
        }
      }
      this.built = values;
    }
    return this.built;
  }

  cell(column: string): string | undefined {
    const j = this.header.index.get(column);
    return j === undefined ? undefined : this.fields[j];
  }
}

/** A row's value in a column, without building a CSV row's object. */
export function cellOf(row: DatasetRow, column: string): unknown {
  return row instanceof CsvRow ? row.cell(column) : row.values[column];
}

export interface CsvRowOptions {
  readonly skipRows: number;
  readonly maxRowLength: number;
  /** Told the header's column names before any row. */
  readonly onHeader?: (columns: readonly string[]) => void;
}

/**
 * CSV rows keyed by the header's names, values as strings (numeric coercion is the consumer's:
 * only it knows a column's type). A header is required; a row with another number of
 * fields is an error naming the row. Yields the rows of each text chunk together.
 */
export async function* csvRowGroups(text: AsyncIterable<string>, options: CsvRowOptions): AsyncGenerator<DatasetRow[]> {
  let header: CsvHeader | undefined;
  let rowNumber = 0;
  let rows: DatasetRow[] = [];
  const tokenizer = new CsvTokenizer((fields, line) => {
    if (!header) {
      header = new CsvHeader(checkHeader(fields, line));
      options.onHeader?.(header.names);
      return;
    }
    rowNumber++;
    checkFieldCount(fields, header, { rowNumber, line });
    if (rowNumber <= options.skipRows) return;
    rows.push(new CsvRow(rowNumber, line, fields, header));
  }, options.maxRowLength);
  const fail = (error: unknown): never => {
    if (error instanceof CsvSyntaxError) {
      if (error.record === 0) {
        throw datasetError(`the CSV header (line ${error.line}): ${error.message}`, DatasetErrorReason.ROW_INVALID, {
          row: 0,
          line: error.line,
        });
      }
      throw csvSyntaxRowError(error);
    }
    throw error;
  };

  for await (const chunk of text) {
    try {
      tokenizer.push(chunk);
    } catch (error) {
      if (rows.length > 0) yield rows;
      fail(error);
    }
    if (rows.length > 0) {
      yield rows;
      rows = [];
    }
  }
  try {
    tokenizer.end();
  } catch (error) {
    if (rows.length > 0) yield rows;
    fail(error);
  }
  if (!header) throw datasetError('the CSV file is empty: a header row is required', DatasetErrorReason.EMPTY);
  if (rows.length > 0) yield rows;
}

/** A data row must have as many fields as the header has columns. */
export function checkFieldCount(fields: readonly string[], header: CsvHeader, position: RowPosition): void {
  const columns = header.names.length;
  if (fields.length !== columns) {
    throw rowError(
      position,
      `${fields.length} field${fields.length === 1 ? '' : 's'}, but the header has ${columns} columns`,
      { fields: fields.length, columns },
    );
  }
}

/** A syntax error in a data row, as the row error naming it. */
export function csvSyntaxRowError(error: CsvSyntaxError) {
  return rowError({ rowNumber: error.record, line: error.line }, error.message);
}

/** The header's column names (trimmed), refusing empty and repeated names. */
export function checkHeader(fields: string[], line: number): string[] {
  const names = fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const [j, name] of names.entries()) {
    if (name.length === 0) {
      throw datasetError(`the CSV header has an empty column name (column ${j + 1})`, DatasetErrorReason.ROW_INVALID, {
        row: 0,
        line,
      });
    }
    if (seen.has(name)) {
      throw datasetError(`the CSV header names column ${name} twice`, DatasetErrorReason.ROW_INVALID, { row: 0, line });
    }
    seen.add(name);
  }
  return names;
}
