import { type DecodedSlice, type RecordSlice, type RowDecoderOptions, type TensorData } from '@fledge/datasets';
import { type DatasetFormat } from '@fledge/domain';
import { type WireError } from '@fledge/errors';

/** What a decode thread starts with: the decoder's options (every input's size fixed) and the CSV header. */
export interface DecodeWorkerData {
  readonly format: DatasetFormat;
  readonly decoder: RowDecoderOptions;
  readonly header?: readonly string[];
}

/** A slice to decode into a batch's buffers (views of SharedArrayBuffers: written in place). */
export interface DecodeRequest {
  readonly id: number;
  readonly slice: RecordSlice;
  readonly inputs: TensorData[];
  readonly labels?: Int32Array | Float64Array;
}

export type DecodeReply =
  | ({ readonly id: number; readonly ok: true } & DecodedSlice)
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: WireError;
    };
