import { type Readable } from 'node:stream';

import { BatchBuilder, type BatchOptions, type DatasetBatch } from './batch.builder.js';
import { readDatasetRowGroups } from './dataset-rows.reader.js';
import { type ReadDatasetOptions } from './dataset.types.js';
import { createRowDecoder, RowDecoder, type RowDecoderOptions } from './row.decoder.js';

export interface ReadDatasetBatchesOptions extends ReadDatasetOptions, BatchOptions {
  /** A decoder built once per model (so mapping errors surface before the stream is opened), or its options. */
  readonly decoder: RowDecoder | RowDecoderOptions;
}

/**
 * A dataset stream as batches of model inputs and labels. `skipRows` resumes after that many
 * data rows (the offset of the last heartbeat): those rows are split off but neither parsed nor
 * decoded, and the first batch starts at row `skipRows + 1`. Memory holds one text chunk, its
 * parsed rows and the batch being filled, whatever the dataset's size.
 */
export async function* readDatasetBatches(
  source: Readable | AsyncIterable<unknown>,
  options: ReadDatasetBatchesOptions,
): AsyncGenerator<DatasetBatch> {
  const decoder = options.decoder instanceof RowDecoder ? options.decoder : createRowDecoder(options.decoder);
  const builder = new BatchBuilder(decoder, options);
  for await (const group of readDatasetRowGroups(source, options)) {
    for (const row of group) {
      const batch = builder.add(row);
      if (batch) yield batch;
    }
  }
  const last = builder.flush();
  if (last) yield last;
}
