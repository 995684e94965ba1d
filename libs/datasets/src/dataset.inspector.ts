import { createHash } from 'node:crypto';
import { type Readable } from 'node:stream';

import { invalidArgument } from '@fledge/errors';

import { cellOf } from './csv.parser.js';
import { readDatasetRowGroups } from './dataset-rows.reader.js';
import { type CompressionOption, type DatasetFormat } from './dataset.types.js';
import { DatasetErrorReason, datasetError, rowError } from './dataset.errors.js';
import { labelKey } from './value.util.js';

export const DEFAULT_MAX_LABELS = 10_000;
/** JSON Lines rows may each carry other keys: the reported column list stops growing here. */
const MAX_COLUMNS = 10_000;

export interface InspectDatasetOptions {
  readonly format: DatasetFormat;
  readonly compression: CompressionOption;
  readonly featureColumns: readonly string[];
  readonly labelColumn: string;
  /** Stops after this many rows (a preview); the result is then `truncated` and has no sha256. */
  readonly maxRows?: number;
  /** Cap of the distinct label set kept (default 10,000); beyond it `labelCardinalityExceeded`. */
  readonly maxLabels?: number;
  /** Longest row accepted, in characters (see `ReadDatasetOptions.maxRowLength`). */
  readonly maxRowLength?: number;
}

export interface DatasetInspection {
  readonly rowCount: number;
  /** Distinct label values as strings; numeric order when all are numbers, else code-point order. */
  readonly labels: string[];
  readonly labelCardinalityExceeded: boolean;
  /** CSV: the header; JSON Lines: the keys seen in any row, in first-seen order (up to 10,000). */
  readonly columns: string[];
  /** Hex sha256 of the bytes as stored (before decompression); absent when `truncated`. */
  readonly sha256?: string;
  /** Bytes read as stored (before decompression). */
  readonly bytes: number;
  readonly compression: 'none' | 'gzip';
  readonly truncated: boolean;
}

/**
 * The ingest check of a dataset version: counts rows, collects the label set and proves that
 * every row has the label and every feature column with a value (null, or an empty CSV field,
 * is missing; an empty JSON string is a value). The first bad row is an INVALID_ARGUMENT naming the row and the column; a CSV
 * header lacking a declared column fails before any row; an empty dataset fails too.
 */
export async function inspectDataset(
  source: Readable | AsyncIterable<unknown>,
  options: InspectDatasetOptions,
): Promise<DatasetInspection> {
  const required = [...options.featureColumns, options.labelColumn];
  // CSV has no null: an empty field is the only way to leave a value out.
  const csv = options.format === 'csv';
  checkDeclaredColumns(options.featureColumns, options.labelColumn);
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const maxLabels = options.maxLabels ?? DEFAULT_MAX_LABELS;
  const hash = createHash('sha256');
  let bytes = 0;
  let compression: 'none' | 'gzip' = 'none';
  let header: readonly string[] | undefined;
  const columns = new Set<string>();
  const labels = new Set<string>();
  let labelCardinalityExceeded = false;
  let rowCount = 0;
  let truncated = false;

  const groups = readDatasetRowGroups(
    source,
    { format: options.format, compression: options.compression, maxRowLength: options.maxRowLength },
    {
      onRawChunk: (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
      onCompression: (c) => (compression = c),
      onHeader: (names) => {
        header = names;
        const missing = required.filter((c) => !names.includes(c));
        if (missing.length > 0) {
          throw datasetError(
            `the CSV header lacks the declared column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (header: ${names.join(', ')})`,
            DatasetErrorReason.COLUMN_MISSING,
            { missing },
          );
        }
      },
    },
  );

  outer: for await (const group of groups) {
    for (const row of group) {
      if (rowCount >= maxRows) {
        truncated = true;
        break outer;
      }
      rowCount++;
      if (!header && columns.size < MAX_COLUMNS) for (const key in row.values) columns.add(key);
      for (const column of required) {
        const value = cellOf(row, column);
        if (value === undefined || value === null || (csv && value === '')) {
          const what = column === options.labelColumn ? 'label' : 'feature';
          throw rowError(
            row,
            value === undefined
              ? `lacks the declared ${what} column ${column}`
              : `the declared ${what} column ${column} is empty`,
            { column },
          );
        }
      }
      const labelValue = cellOf(row, options.labelColumn);
      const label = labelKey(labelValue);
      if (label === undefined) {
        throw rowError(row, `the label ${JSON.stringify(labelValue)} is not a string, number or boolean`, {
          column: options.labelColumn,
        });
      }
      if (!labelCardinalityExceeded && !labels.has(label)) {
        if (labels.size >= maxLabels) labelCardinalityExceeded = true;
        else labels.add(label);
      }
    }
  }

  if (rowCount === 0) throw datasetError('the dataset has no data rows', DatasetErrorReason.EMPTY);
  return {
    rowCount,
    labels: sortLabels([...labels]),
    labelCardinalityExceeded,
    columns: header ? [...header] : [...columns],
    sha256: truncated ? undefined : hash.digest('hex'),
    bytes,
    compression,
    truncated,
  };
}

function checkDeclaredColumns(featureColumns: readonly string[], labelColumn: string): void {
  if (featureColumns.length === 0) {
    throw invalidArgument('declare at least one feature column', { reason: DatasetErrorReason.COLUMNS_INVALID });
  }
  if (new Set(featureColumns).size !== featureColumns.length) {
    throw invalidArgument('a feature column is declared twice', { reason: DatasetErrorReason.COLUMNS_INVALID });
  }
  if (featureColumns.includes(labelColumn)) {
    throw invalidArgument(`the label column ${labelColumn} is also declared as a feature`, {
      reason: DatasetErrorReason.COLUMNS_INVALID,
    });
  }
}

/** Numeric order when every label is a number (so 2 < 10), else code-point order. */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}
