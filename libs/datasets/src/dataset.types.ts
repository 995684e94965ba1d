import { type DatasetFormat } from '@fledge/domain';

export type { DatasetFormat };

/** `auto` sniffs the gzip magic bytes (1f 8b) at the start of the stream. */
export type CompressionOption = 'none' | 'gzip' | 'auto';

export interface ReadDatasetOptions {
  readonly format: DatasetFormat;
  readonly compression: CompressionOption;
  /**
   * Data rows to pass over before the first yielded row (resuming a graded dataset from a
   * heartbeat offset). Skipped rows are split but not parsed: a malformed skipped row is not
   * reported.
   */
  readonly skipRows?: number;
  /**
   * Longest row accepted, in characters (default 64 Mi). Bounds memory on a file that is not
   * line-structured (a binary upload, a CSV quote never closed).
   */
  readonly maxRowLength?: number;
}

export const DEFAULT_MAX_ROW_LENGTH = 64 * 1024 * 1024;

/** One data row. JSON Lines rows hold parsed JSON values; CSV rows hold strings. */
export interface DatasetRow {
  /** 1-based data row number: blank lines and the CSV header do not count. */
  readonly rowNumber: number;
  /** 1-based line of the file (after decompression) the row starts on. */
  readonly line: number;
  readonly values: Record<string, unknown>;
}
