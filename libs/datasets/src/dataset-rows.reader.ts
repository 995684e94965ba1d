import { type Readable } from 'node:stream';

import { invalidArgument } from '@fledge/errors';

import { csvRowGroups, CsvRow } from './csv.parser.js';
import { DEFAULT_MAX_ROW_LENGTH, type DatasetRow, type ReadDatasetOptions } from './dataset.types.js';
import { decompressedChunks, type DecodeOptions } from './decompress.util.js';
import { jsonlRowGroups } from './jsonl.parser.js';
import { textChunks } from './text.util.js';

/** Hooks for callers that need more than the rows (ingest checks). */
export interface RowGroupHooks extends Pick<DecodeOptions, 'onRawChunk' | 'onCompression'> {
  readonly onHeader?: (columns: readonly string[]) => void;
}

/**
 * The rows of a dataset stream in groups (one per decoded chunk): the engine under both public
 * readers; a group costs one async step however many rows it holds.
 */
export function readDatasetRowGroups(
  source: Readable | AsyncIterable<unknown>,
  options: ReadDatasetOptions,
  hooks: RowGroupHooks = {},
): AsyncGenerator<DatasetRow[]> {
  const skipRows = checkReadOptions(options);
  const maxRowLength = options.maxRowLength ?? DEFAULT_MAX_ROW_LENGTH;
  const text = textChunks(
    decompressedChunks(source, {
      compression: options.compression,
      onRawChunk: hooks.onRawChunk,
      onCompression: hooks.onCompression,
    }),
  );
  return options.format === 'jsonl'
    ? jsonlRowGroups(text, skipRows, maxRowLength)
    : csvRowGroups(text, { skipRows, maxRowLength, onHeader: hooks.onHeader });
}

/** Checks the format and `skipRows` of read options; returns `skipRows` (default 0). */
export function checkReadOptions(options: ReadDatasetOptions): number {
  if (options.format !== 'jsonl' && options.format !== 'csv') {
    throw invalidArgument(`unknown dataset format ${String(options.format)}`, { reason: 'DATASET_FORMAT_UNKNOWN' });
  }
  const skipRows = options.skipRows ?? 0;
  if (!Number.isInteger(skipRows) || skipRows < 0) {
    throw invalidArgument(`skipRows must be a non-negative integer, got ${skipRows}`, {
      reason: 'DATASET_SKIP_INVALID',
    });
  }
  return skipRows;
}

/**
 * Streams the data rows of a JSON Lines or CSV dataset (optionally gzip), in order, with memory
 * independent of the dataset's size. A row that cannot be parsed is an INVALID_ARGUMENT error
 * (reason DATASET_ROW_INVALID, details `{ row, line }`) after the rows before it were yielded;
 * bytes that are not gzip: DATASET_DECODE_FAILED with zlib's message. Breaking out of the loop
 * destroys the source.
 */
export async function* readDatasetRows(
  source: Readable | AsyncIterable<unknown>,
  options: ReadDatasetOptions,
): AsyncGenerator<DatasetRow> {
  for await (const group of readDatasetRowGroups(source, options)) {
    for (const row of group)
      yield row instanceof CsvRow ? { rowNumber: row.rowNumber, line: row.line, values: row.values } : row;
  }
}
