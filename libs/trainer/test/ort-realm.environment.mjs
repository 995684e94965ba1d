// Jest runs each test file in its own VM context, but onnxruntime-node's native addon creates its
// output typed arrays in the main context, so onnxruntime-common's `instanceof Float32Array` checks
// fail ("A float32 tensor's data must be type of Float32Array"). Sharing the main context's typed
// array constructors with the test context makes both sides agree. Opt in per test file with a
// `@jest-environment ./libs/trainer/test/ort-realm.environment.mjs` docblock.
import { TestEnvironment } from 'jest-environment-node';

const shared = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'BigInt64Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'BigUint64Array',
  'Uint8ClampedArray',
  'ArrayBuffer',
];

export default class OrtRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) this.global[name] = globalThis[name];
  }
}
