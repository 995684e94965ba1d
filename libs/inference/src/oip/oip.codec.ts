import { invalidArgument } from '@fledge/errors';

import { isTensorDataType, type NamedTensor, type NumericTensorData } from '../tensor.js';
import { decodeBinaryTensor, encodeBinaryTensor, tensorDataFromJson, tensorDataToJson } from '../tensor-codec.js';
import { parseJsonBytes } from './json-scanner.js';
import { type EncodedBody, type InferRequest, type InferResponse } from './oip.types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(message: string, reason = 'REQUEST_INVALID') {
  return invalidArgument(message, { reason });
}

/** The Inference-Header-Content-Length header: absent, or one plain byte count (else 400). */
export function inferenceHeaderLength(header: string | readonly string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = typeof header === 'string' ? header : header.join(',');
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw bad(
      `Inference-Header-Content-Length ${JSON.stringify(value.slice(0, 40))} is not a byte count`,
      'BINARY_HEADER_INVALID',
    );
  }
  return Number(value.trim());
}

/**
 * Decodes an OIP v2 infer request body. With `jsonLength` (the Inference-Header-Content-Length
 * header) the body is a JSON header followed by the inputs' binary data in input order.
 */
export function decodeInferRequest(body: Uint8Array, jsonLength?: number): InferRequest {
  if (jsonLength !== undefined && (!Number.isInteger(jsonLength) || jsonLength < 0 || jsonLength > body.length)) {
    throw bad(
      `Inference-Header-Content-Length ${jsonLength} does not fit the ${body.length}-byte body`,
      'BINARY_HEADER_INVALID',
    );
  }
  const doc = parseJsonBytes(body, jsonLength ?? body.length);
  if (!isObject(doc)) throw bad('the request body must be a JSON object');
  const rawInputs = doc.inputs;
  if (!Array.isArray(rawInputs) || rawInputs.length === 0) throw bad('the request needs a non-empty "inputs" array');
  let binaryOffset = jsonLength ?? body.length;
  const inputs: NamedTensor[] = rawInputs.map((raw, i) => {
    if (!isObject(raw)) throw bad(`inputs[${i}] must be an object`);
    const { name, datatype, shape, data, parameters } = raw;
    if (typeof name !== 'string' || name === '') throw bad(`inputs[${i}] needs a "name"`);
    if (!isTensorDataType(datatype))
      throw bad(`input ${name}: unknown datatype ${JSON.stringify(datatype)}`, 'INPUT_DATATYPE');
    const dims: unknown[] = shape instanceof Float64Array ? Array.from(shape) : Array.isArray(shape) ? shape : [];
    if (
      (!Array.isArray(shape) && !(shape instanceof Float64Array)) ||
      !dims.every((d) => Number.isInteger(d) && (d as number) >= 0)
    ) {
      throw bad(`input ${name}: "shape" must be an array of non-negative integers`, 'INPUT_SHAPE');
    }
    const binarySize = isObject(parameters) ? parameters.binary_data_size : undefined;
    if (binarySize !== undefined) {
      if (jsonLength === undefined) {
        throw bad(
          `input ${name}: binary_data_size needs the Inference-Header-Content-Length header`,
          'BINARY_HEADER_INVALID',
        );
      }
      if (
        !Number.isInteger(binarySize) ||
        (binarySize as number) < 0 ||
        binaryOffset + (binarySize as number) > body.length
      ) {
        throw bad(`input ${name}: binary_data_size ${String(binarySize)} exceeds the body`, 'INPUT_DATA_LENGTH');
      }
      const bytes = body.subarray(binaryOffset, binaryOffset + (binarySize as number));
      binaryOffset += binarySize as number;
      return decodeBinaryTensor(name, datatype, dims as number[], bytes);
    }
    if (!Array.isArray(data) && !(data instanceof Float64Array)) {
      throw bad(`input ${name}: "data" must be an array`, 'INPUT_DATA_LENGTH');
    }
    return { name, datatype, shape: dims as number[], data: tensorDataFromJson(name, datatype, data) };
  });
  if (jsonLength !== undefined && binaryOffset !== body.length) {
    throw bad(`${body.length - binaryOffset} bytes of binary data are not claimed by any input`, 'INPUT_DATA_LENGTH');
  }
  const params = isObject(doc.parameters) ? doc.parameters : {};
  const binaryOutputs = params.binary_data_output === true;
  const outputs = Array.isArray(doc.outputs)
    ? doc.outputs.map((o, i) => {
        if (!isObject(o) || typeof o.name !== 'string') throw bad(`outputs[${i}] needs a "name"`);
        const p = isObject(o.parameters) ? o.parameters : {};
        return { name: o.name, binary: typeof p.binary_data === 'boolean' ? p.binary_data : binaryOutputs };
      })
    : [];
  return { id: typeof doc.id === 'string' ? doc.id : undefined, inputs, outputs, binaryOutputs };
}

function jsonString(s: string): string {
  return JSON.stringify(s);
}

function dataJson(t: NamedTensor): string {
  const data = t.data;
  if (t.datatype === 'FP32' || t.datatype === 'FP64') {
    const arr = data as Float32Array;
    let out = '[';
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (i > 0) out += ',';
      out += Number.isFinite(v) ? v : 'null';
    }
    return out + ']';
  }
  if (Array.isArray(data) || t.datatype === 'BOOL' || t.datatype === 'INT64' || t.datatype === 'UINT64') {
    return JSON.stringify(tensorDataToJson(t));
  }
  return '[' + (data as Exclude<NumericTensorData, BigInt64Array | BigUint64Array>).join(',') + ']';
}

/** An encoded response before its bytes are laid out: the JSON (header) text and the binary outputs. */
export interface ResponseParts {
  json: string;
  /** Binary outputs (data extension) in output order, after the JSON header. */
  binaries: Uint8Array[];
}

/**
 * Encodes an infer response. Outputs flagged binary go after the JSON header (binary data
 * extension); otherwise the whole body is JSON.
 */
export function encodeResponseParts(response: InferResponse, binaryNames: ReadonlySet<string>): ResponseParts {
  const head = `{"model_name":${jsonString(response.modelName)},"model_version":${jsonString(response.modelVersion)}${
    response.id !== undefined ? `,"id":${jsonString(response.id)}` : ''
  },"outputs":[`;
  const parts: string[] = [];
  const binaries: Uint8Array[] = [];
  for (const t of response.outputs) {
    const meta = `{"name":${jsonString(t.name)},"datatype":"${t.datatype}","shape":[${t.shape.join(',')}]`;
    if (binaryNames.has(t.name)) {
      const bytes = encodeBinaryTensor(t);
      binaries.push(bytes);
      parts.push(`${meta},"parameters":{"binary_data_size":${bytes.byteLength}}}`);
    } else {
      parts.push(`${meta},"data":${dataJson(t)}}`);
    }
  }
  return { json: head + parts.join(',') + ']}', binaries };
}

/** The content type and JSON header length of an encoded response (see encodeResponseParts). */
export function describeResponse(parts: ResponseParts, jsonBytes: number): Omit<EncodedBody, 'body'> {
  return parts.binaries.length === 0
    ? { contentType: 'application/json' }
    : { contentType: 'application/octet-stream', jsonHeaderLength: jsonBytes };
}

export function encodeInferResponse(response: InferResponse, binaryNames: ReadonlySet<string>): EncodedBody {
  const parts = encodeResponseParts(response, binaryNames);
  const header = Buffer.from(parts.json, 'utf8');
  return { body: Buffer.concat([header, ...parts.binaries]), ...describeResponse(parts, header.length) };
}

export function encodeError(message: string, extra: Json = {}): Buffer {
  return Buffer.from(JSON.stringify({ error: message, ...extra }), 'utf8');
}
