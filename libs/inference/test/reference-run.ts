// Runs a model with onnxruntime in a plain Node process: the reference that served predictions
// must equal. (Inside Jest's VM context onnxruntime rejects the context's typed arrays.)
import { execFileSync } from 'node:child_process';

import { type NamedTensor, ortTypeOf } from '../src/index.js';

const script = `
import ort from 'onnxruntime-node';
let raw = '';
for await (const chunk of process.stdin) raw += chunk;
const { path, inputs } = JSON.parse(raw);
const ctor = { float32: Float32Array, int64: BigInt64Array, float64: Float64Array, int32: Int32Array };
const feeds = {};
for (const t of inputs) {
  const data = t.type === 'string' ? t.data : t.type === 'int64' ? BigInt64Array.from(t.data.map(BigInt)) : ctor[t.type].from(t.data);
  feeds[t.name] = new ort.Tensor(t.type, data, t.shape);
}
const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1 });
const out = await session.run(feeds);
const result = {};
for (const [name, t] of Object.entries(out)) result[name] = Array.from(t.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
process.stdout.write(JSON.stringify(result));
`;

export function referenceRun(path: string, ...inputs: NamedTensor[]): Record<string, number[]> {
  const payload = JSON.stringify({
    path,
    inputs: inputs.map((t) => ({
      name: t.name,
      type: ortTypeOf(t.datatype),
      shape: t.shape,
      data: Array.from(t.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v)),
    })),
  });
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: payload,
    cwd: process.cwd(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as Record<string, number[]>;
}
