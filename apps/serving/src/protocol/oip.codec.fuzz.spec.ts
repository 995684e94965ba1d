import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { FledgeError, httpStatusOf } from '@fledge/errors';
import { type NamedTensor, signatureFromMetadata, validateInputs } from '@fledge/inference';

import { fuzzParameters } from '../../../../libs/inference/test/fuzz.util.js';
import {
  arbitraryBytesCase,
  nearValidBinaryCase,
  nearValidJsonCase,
  type OipCase,
} from '../../test/oip-arbitraries.js';
import { decodeInferRequest, inferenceHeaderLength } from '@fledge/inference';

// The codec against hostile and near-valid bodies: it either decodes or refuses with a client
// error (4xx FledgeError) — never another exception, never a value the JSON did not say.

const digits = signatureFromMetadata(
  [{ name: 'pixels', isTensor: true, type: 'float32', shape: ['batch', 784] }],
  [{ name: 'probabilities', isTensor: true, type: 'float32', shape: ['batch', 10] }],
);

function expectClientError(error: unknown, c: OipCase): void {
  if (!(error instanceof FledgeError) || httpStatusOf(error.code) >= 500 || httpStatusOf(error.code) < 400) {
    throw new Error(`${c.kind} case raised ${String(error)} instead of a client error`, { cause: error });
  }
}

/** The element JSON.parse (the reference) read, as the tensor's element type holds it. */
function expected(datatype: NamedTensor['datatype'], v: unknown): unknown {
  if (datatype === 'BYTES' || datatype === 'FP64') return v;
  if (datatype === 'FP32') return Math.fround(v as number);
  return typeof v === 'boolean' ? Number(v) : v;
}

/** Decoded input `t` holds exactly what JSON.parse reads in `raw`, every float finite. */
function expectSameAsJsonParse(raw: Record<string, unknown>, t: NamedTensor): void {
  expect({ name: t.name, shape: t.shape }).toEqual({ name: raw.name, shape: raw.shape });
  const flat = [raw.data].flat(Infinity) as unknown[];
  expect(t.data.length).toBe(flat.length);
  const data = t.data as ArrayLike<unknown>;
  for (let i = 0; i < flat.length; i++) {
    const got = typeof data[i] === 'bigint' ? Number(data[i]) : data[i];
    const want = expected(t.datatype, flat[i]);
    if (!Object.is(got, want) && !(got === 0 && want === 0)) {
      throw new Error(
        `input ${t.name} (${t.datatype}) element ${i}: decoded ${String(got)}, JSON says ${String(flat[i])}`,
      );
    }
    if (typeof got === 'number' && !Number.isFinite(got)) throw new Error(`input ${t.name} element ${i} is ${got}`);
  }
}

function decodeOrRefuse(c: OipCase): void {
  let decoded;
  try {
    decoded = decodeInferRequest(c.body, inferenceHeaderLength(c.headerLength));
  } catch (error) {
    expectClientError(error, c);
    return;
  }
  if (c.headerLength === undefined) {
    const doc = JSON.parse(Buffer.from(c.body).toString('utf8')) as { inputs: Record<string, unknown>[] };
    doc.inputs.forEach((raw, i) => expectSameAsJsonParse(raw, decoded.inputs[i]));
  }
  try {
    validateInputs(digits, decoded.inputs);
  } catch (error) {
    expectClientError(error, c);
  }
}

describe('OIP codec fuzz', () => {
  it('arbitrary bytes (with or without a binary header length): decoded or refused with a 4xx', () => {
    fc.assert(fc.property(arbitraryBytesCase, decodeOrRefuse), fuzzParameters('codec: arbitrary bytes', 2000));
  });

  it('near-valid JSON requests: decoded to exactly what the JSON says, or refused with a 4xx', () => {
    fc.assert(fc.property(nearValidJsonCase, decodeOrRefuse), fuzzParameters('codec: near-valid JSON', 2000));
  });

  it('near-valid binary requests (lying sizes, truncated data): decoded or refused with a 4xx', () => {
    fc.assert(fc.property(nearValidBinaryCase, decodeOrRefuse), fuzzParameters('codec: near-valid binary', 2000));
  });
});
