import { type FledgeError, invalidArgument } from '@fledge/errors';

/** Stable `reason`s of the errors this library throws (all with code INVALID_ARGUMENT). */
export const DatasetErrorReason = {
  /** A row cannot be parsed, or its values do not fit the declared columns or the model's inputs. */
  ROW_INVALID: 'DATASET_ROW_INVALID',
  /** The bytes are not valid gzip (zlib's message is in the error). */
  DECODE_FAILED: 'DATASET_DECODE_FAILED',
  /** A declared column is absent from the CSV header. */
  COLUMN_MISSING: 'DATASET_COLUMN_MISSING',
  /** The dataset has no data rows. */
  EMPTY: 'DATASET_EMPTY',
  /** The declared feature and label columns contradict each other (none, twice, overlapping). */
  COLUMNS_INVALID: 'DATASET_COLUMNS_INVALID',
  /** The declared columns cannot fill the model's inputs (found before reading any row). */
  SIGNATURE_MISMATCH: 'DATASET_SIGNATURE_MISMATCH',
  /** A row's label is not one of the model's classes. */
  LABEL_UNKNOWN: 'DATASET_LABEL_UNKNOWN',
} as const;

export type DatasetErrorReason = (typeof DatasetErrorReason)[keyof typeof DatasetErrorReason];

/** Where a row sits: its 1-based data row number and the 1-based line of the file it starts on. */
export interface RowPosition {
  readonly rowNumber: number;
  readonly line: number;
}

/**
 * An error about one row. The message starts with `row R (line L):` so that a user can find the
 * row both by counting data rows (what progress and resume offsets count) and in an editor.
 */
export function rowError(
  position: RowPosition,
  problem: string,
  extra: Record<string, unknown> = {},
  reason: DatasetErrorReason = DatasetErrorReason.ROW_INVALID,
): FledgeError {
  return invalidArgument(`row ${position.rowNumber} (line ${position.line}): ${problem}`, {
    reason,
    details: { row: position.rowNumber, line: position.line, ...extra },
  });
}

export function datasetError(message: string, reason: DatasetErrorReason, details: Record<string, unknown> = {}) {
  return invalidArgument(message, { reason, details });
}
