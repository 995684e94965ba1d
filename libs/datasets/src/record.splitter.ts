import { checkHeader, CsvSyntaxError, CsvTokenizer } from './csv.parser.js';
import { DatasetErrorReason, datasetError, rowError } from './dataset.errors.js';
import { type DatasetFormat } from './dataset.types.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const BLANK = /^\s*$/;

/**
 * Whole records of a dataset, cut from its bytes for a decode worker: `rows` data rows, the
 * first numbered `firstRow`, the bytes starting on line `startLine` (they may start with blank
 * lines). Parsing the bytes from that position gives the same rows, row numbers and lines as
 * parsing the whole file.
 */
export interface RecordSlice {
  readonly bytes: Uint8Array;
  readonly startLine: number;
  readonly firstRow: number;
  readonly rows: number;
}

export interface RecordSplitterOptions {
  readonly format: DatasetFormat;
  /** Data rows per slice (the last slice may hold fewer). */
  readonly rowsPerSlice: number;
  readonly skipRows: number;
  /** Longest record accepted, in bytes (the single-threaded readers count characters). */
  readonly maxRowLength: number;
}

/**
 * Finds record boundaries in (decompressed) dataset bytes without parsing the records, so that
 * the parsing can run in other threads: line feeds for JSON Lines; for CSV the tokenizer's own
 * state machine over the bytes that matter (commas, quotes at a field's start, CR, LF), so a
 * quoted field holding line breaks stays in one record wherever the chunks are cut. UTF-8 never
 * uses these bytes inside a multi-byte character, so cutting bytes there is safe. Skipped rows
 * (resuming) are dropped here; the CSV header is read here and given to every slice's parser.
 *
 * `push` appends the slices it completes to `out` before it throws, so the caller can deliver
 * the rows before a bad one as a row-by-row reader would.
 */
export class RecordSplitter {
  private readonly csv: boolean;
  private readonly rowsPerSlice: number;
  private readonly skipRows: number;
  private readonly maxRowLength: number;
  /** Bytes of the slice being filled, from earlier chunks. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private sliceLine = 1;
  private sliceRows = 0;
  private sliceFirstRow = 0;
  private line = 1;
  private rows = 0;
  /** Bytes of the record (or JSONL line) being read, so far. */
  private recordBytes = 0;
  private recordLine = 1;
  private afterCr = false;
  /** First byte of the JSONL line being read. */
  private lineFirst = 0;
  private bomChecked = false;
  private bomHead: Buffer[] = [];
  // CSV state: inside a quoted field, just after a quote inside one, at a field's start.
  private quoted = false;
  private quoteInQuoted = false;
  private fieldStart = true;
  private headerParts: Buffer[] | undefined;
  private headerNames: readonly string[] | undefined;
  private ended = false;

  constructor(options: RecordSplitterOptions) {
    this.csv = options.format === 'csv';
    this.rowsPerSlice = options.rowsPerSlice;
    this.skipRows = options.skipRows;
    this.maxRowLength = options.maxRowLength;
    if (this.csv) this.headerParts = [];
  }

  /** The CSV header's column names, once read. */
  get header(): readonly string[] | undefined {
    return this.headerNames;
  }

  push(chunk: Buffer, out: RecordSlice[]): void {
    let bytes = chunk;
    if (!this.bomChecked) {
      // The byte-order mark is dropped, as the text readers drop U+FEFF.
      this.bomHead.push(chunk);
      const head = Buffer.concat(this.bomHead);
      if (head.length < 3 && head.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) return;
      this.bomChecked = true;
      this.bomHead = [];
      bytes = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    }
    if (this.csv) this.scanCsv(bytes, out);
    else this.scanJsonl(bytes, out);
  }

  /** The rest of the stream as a last slice (an unterminated last record is a record). */
  end(out: RecordSlice[]): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.bomChecked) {
      this.bomChecked = true;
      const head = Buffer.concat(this.bomHead);
      if (!(head.length >= 2 && head[0] === 0xef && head[1] === 0xbb)) this.push(head, out);
    }
    if (this.csv && this.headerParts) {
      if (this.recordBytes > 0 || this.quoted) {
        this.readHeader(Buffer.alloc(0), 0);
        return;
      }
      throw datasetError('the CSV file is empty: a header row is required', DatasetErrorReason.EMPTY);
    }
    if (this.recordBytes > 0 || this.quoted) {
      if (this.csv || this.lineFirst > SPACE || !isBlankLine(this.tail())) this.countRow();
    }
    if (this.sliceRows > 0) out.push(this.cut(Buffer.alloc(0), 0));
  }

  private scanJsonl(chunk: Buffer, out: RecordSlice[]): void {
    let from = 0;
    let sliceFrom = 0;
    for (;;) {
      const at = chunk.indexOf(LF, from);
      const stop = at === -1 ? chunk.length : at;
      if (this.recordBytes === 0 && stop > from) this.lineFirst = chunk[from];
      const length = this.recordBytes + (stop - from);
      if (length > this.maxRowLength) {
        throw rowError(
          { rowNumber: this.rows + 1, line: this.line },
          `the line is longer than ${this.maxRowLength} characters`,
        );
      }
      if (at === -1) {
        this.recordBytes = length;
        break;
      }
      // Rows start with `{`: only a line starting with a control byte or a space needs a closer look.
      const blank =
        length === 0 ||
        (this.lineFirst <= SPACE &&
          isBlankLine(this.recordBytes === 0 ? chunk.subarray(from, at) : this.lineWith(chunk, from, at)));
      this.recordBytes = 0;
      this.line++;
      from = at + 1;
      if (blank) continue;
      if (this.countRow()) {
        sliceFrom = this.restart(from);
      } else if (this.sliceRows === this.rowsPerSlice) {
        out.push(this.cut(chunk, from, sliceFrom));
        sliceFrom = from;
      }
    }
    this.keep(chunk, sliceFrom);
  }

  private scanCsv(chunk: Buffer, out: RecordSlice[]): void {
    const n = chunk.length;
    let i = 0;
    let sliceFrom = 0;
    let recordFrom = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) {
        // The LF of a CRLF split across chunks belongs to the line break before.
        i = 1;
        recordFrom = 1;
        if (this.partsLength === 0) sliceFrom = 1;
      }
    }
    while (i < n) {
      const c = chunk[i];
      if (this.quoted) {
        const q = chunk.indexOf(QUOTE, i);
        const stop = q === -1 ? n : q;
        for (let k = chunk.indexOf(LF, i); k !== -1 && k < stop; k = chunk.indexOf(LF, k + 1)) this.line++;
        if (q === -1) break;
        this.quoted = false;
        this.quoteInQuoted = true;
        i = q + 1;
        continue;
      }
      if (this.quoteInQuoted) {
        this.quoteInQuoted = false;
        if (c === QUOTE) {
          this.quoted = true;
          i++;
          continue;
        }
        // Anything but a separator here is a syntax error that the slice's parser reports with
        // its position; the splitter only has to keep going.
      }
      if (c === LF || c === CR) {
        let next = i + 1;
        if (c === CR) {
          if (next < n) {
            if (chunk[next] === LF) next++;
          } else {
            this.afterCr = true;
          }
        }
        const content = this.recordBytes + (i - recordFrom) > 0;
        this.recordBytes = 0;
        this.line++;
        this.recordLine = this.line;
        this.fieldStart = true;
        i = next;
        recordFrom = i;
        if (!content) continue;
        if (this.headerParts) {
          this.readHeader(chunk, i);
          sliceFrom = i;
          continue;
        }
        if (this.countRow()) {
          sliceFrom = this.restart(i);
        } else if (this.sliceRows === this.rowsPerSlice) {
          out.push(this.cut(chunk, i, sliceFrom));
          sliceFrom = i;
        }
        continue;
      }
      if (c === COMMA) this.fieldStart = true;
      else if (c === QUOTE && this.fieldStart) this.quoted = true;
      else this.fieldStart = false;
      i++;
    }
    this.recordBytes += n - recordFrom;
    if (this.recordBytes > this.maxRowLength) {
      const problem = `the row is longer than ${this.maxRowLength} characters (is a quoted field never closed?)`;
      if (this.headerParts) {
        throw datasetError(`the CSV header (line ${this.recordLine}): ${problem}`, DatasetErrorReason.ROW_INVALID, {
          row: 0,
          line: this.recordLine,
        });
      }
      throw rowError({ rowNumber: this.rows + 1, line: this.recordLine }, problem);
    }
    if (this.headerParts) this.headerParts.push(chunk);
    else this.keep(chunk, sliceFrom);
  }

  /** Parses the header record (its bytes end at `end` of `chunk`) with the CSV tokenizer itself. */
  private readHeader(chunk: Buffer, end: number): void {
    // Every byte from the start of the file, so the tokenizer counts lines as it would.
    const parts = this.headerParts!;
    parts.push(chunk.subarray(0, end));
    this.headerParts = undefined;
    const text = Buffer.concat(parts).toString('utf8');
    let fields: string[] | undefined;
    let line = 1;
    const tokenizer = new CsvTokenizer((f, l) => {
      fields ??= f;
      line = l;
    }, this.maxRowLength);
    try {
      tokenizer.push(text);
      tokenizer.end();
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        throw datasetError(`the CSV header (line ${error.line}): ${error.message}`, DatasetErrorReason.ROW_INVALID, {
          row: 0,
          line: error.line,
        });
      }
      throw error;
    }
    this.headerNames = checkHeader(fields ?? [], line);
    this.parts = [];
    this.partsLength = 0;
    this.sliceLine = this.line;
  }

  /** Counts a data row; true when it is one of the skipped rows. */
  private countRow(): boolean {
    this.rows++;
    if (this.rows <= this.skipRows) return true;
    if (this.sliceRows === 0) this.sliceFirstRow = this.rows;
    this.sliceRows++;
    return false;
  }

  /** Starts the next slice at `from` of the current chunk (after skipped rows). */
  private restart(from: number): number {
    this.parts = [];
    this.partsLength = 0;
    this.sliceLine = this.line;
    this.recordLine = this.line;
    return from;
  }

  private cut(chunk: Buffer, end: number, from = 0): RecordSlice {
    const last = chunk.subarray(from, end);
    const bytes = new Uint8Array(this.partsLength + last.length);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(last, at);
    const slice: RecordSlice = { bytes, startLine: this.sliceLine, firstRow: this.sliceFirstRow, rows: this.sliceRows };
    this.parts = [];
    this.partsLength = 0;
    this.sliceLine = this.line;
    this.recordLine = this.line;
    this.sliceRows = 0;
    return slice;
  }

  /** Keeps the rest of the chunk from `from` for the slice being filled. */
  private keep(chunk: Buffer, from: number): void {
    if (this.headerParts) return;
    if (from < chunk.length) {
      this.parts.push(chunk.subarray(from));
      this.partsLength += chunk.length - from;
    }
  }

  /** The bytes of the unterminated last line (JSONL). */
  private tail(): Buffer {
    const all = Buffer.concat(this.parts);
    return all.subarray(all.length - this.recordBytes);
  }

  /** A line spanning chunks: its earlier bytes (kept in `parts`) and this chunk's. */
  private lineWith(chunk: Buffer, from: number, at: number): Buffer {
    const all = Buffer.concat(this.parts);
    return Buffer.concat([all.subarray(all.length - this.recordBytes), chunk.subarray(from, at)]);
  }
}

/**
 * A JSON Lines line that is not a row: empty, or starting with a character up to U+0020 and only
 * whitespace (as `/^\s*$/` reads its text) — the single-threaded reader's rule, byte for byte.
 */
export function isBlankLine(line: Uint8Array): boolean {
  if (line.length === 0) return true;
  if (line[0] > SPACE) return false;
  for (let k = 0; k < line.length; k++) {
    const b = line[k];
    if (b >= 0x80) return BLANK.test(Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8'));
    if (!(b === SPACE || (b >= 0x09 && b <= 0x0d))) return false;
  }
  return true;
}
