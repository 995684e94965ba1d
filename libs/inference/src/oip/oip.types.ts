import { type TensorSpec } from '../model-signature.js';
import { type NamedTensor } from '../tensor.js';

/** A decoded OIP v2 inference request (JSON or binary data extension). */
export interface InferRequest {
  id?: string;
  inputs: NamedTensor[];
  /** Requested outputs; empty means all. */
  outputs: { name: string; binary: boolean }[];
  /** `parameters.binary_data_output`: every output in binary unless an output says otherwise. */
  binaryOutputs: boolean;
}

export interface InferResponse {
  modelName: string;
  modelVersion: string;
  id?: string;
  outputs: NamedTensor[];
}

export interface ModelMetadataResponse {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface EncodedBody {
  body: Buffer;
  contentType: string;
  /** Set when the body carries binary tensors after the JSON header. */
  jsonHeaderLength?: number;
}
