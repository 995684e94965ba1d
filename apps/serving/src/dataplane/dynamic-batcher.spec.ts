import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';
import { type ModelRuntime, type NamedTensor } from '@fledge/inference';

import { DynamicBatcher } from './dynamic-batcher.js';

/** A runtime that doubles its input, with one run slot, that fails rows holding -1. */
class FakeRuntime implements ModelRuntime {
  runs: number[] = [];
  busy = false;
  private waiters: (() => void)[] = [];
  load = () => Promise.reject(new Error('unused'));
  release = () => Promise.resolve();
  close = () => Promise.resolve();

  async run(_key: string, inputs: readonly NamedTensor[]): Promise<NamedTensor[]> {
    this.busy = true;
    this.runs.push(inputs[0].shape[0]);
    await new Promise((r) => setTimeout(r, 5));
    this.busy = false;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((cb) => cb());
    const x = inputs[0].data as Float32Array;
    if (x.includes(-1)) throw new FledgeError('INTERNAL', 'boom', { reason: 'MODEL_RUN_FAILED' });
    return [{ name: 'y', datatype: 'FP32', shape: inputs[0].shape, data: x.map((v) => v * 2) }];
  }

  hasCapacity(): boolean {
    return !this.busy;
  }

  onCapacity(cb: () => void): void {
    this.waiters.push(cb);
  }
}

const row = (v: number): NamedTensor[] => [{ name: 'x', datatype: 'FP32', shape: [1, 1], data: Float32Array.of(v) }];

describe(DynamicBatcher.name, () => {
  it('stacks requests that queue while the runtime is busy and gives each its own rows', async () => {
    const runtime = new FakeRuntime();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sut.submit(row(i), 1)));
    expect(results.map((r) => (r.outputs[0].data as Float32Array)[0])).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
    expect(runtime.runs.every((n) => n <= 8)).toBe(true);
    expect(runtime.runs.length).toBeLessThan(20);
    expect(runtime.runs.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('refuses at once with QUEUE_FULL when the queue is full', async () => {
    const sut = new DynamicBatcher(new FakeRuntime(), 'm', { maxBatchSize: 1, maxQueueDelayUs: 0, maxQueueSize: 2 });
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => sut.submit(row(i), 1)));
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.length).toBe(3);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'UNAVAILABLE', reason: 'QUEUE_FULL' });
  });

  it('keeps its queue bounded under sustained overload: excess is refused, nothing accumulates', async () => {
    const runtime = new FakeRuntime();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 4, maxQueueDelayUs: 0, maxQueueSize: 16 });
    const answered: Promise<unknown>[] = [];
    let refused = 0;
    let maxQueued = 0;
    // 50 waves of 200 requests against a model that takes 5 ms per run: far more than it can serve.
    for (let wave = 0; wave < 50; wave++) {
      for (let i = 0; i < 200; i++) {
        answered.push(sut.submit(row(i), 1).catch(() => refused++));
        maxQueued = Math.max(maxQueued, sut.queued);
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(answered);
    expect(maxQueued).toBeLessThanOrEqual(16);
    expect(refused).toBeGreaterThan(9000);
    expect(sut.queued).toBe(0);
    expect(runtime.runs.reduce((a, b) => a + b, 0)).toBe(10_000 - refused);
  });

  it('fails only the request whose rows make the model throw, not its batch-mates', async () => {
    const runtime = new FakeRuntime();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 100 });
    const settled = await Promise.allSettled([1, 2, -1, 3, 4].map((v) => sut.submit(row(v), 1)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('waits up to the max queue delay to fill a batch', async () => {
    const runtime = new FakeRuntime();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 4, maxQueueDelayUs: 20_000, maxQueueSize: 100 });
    const first = sut.submit(row(1), 1);
    await new Promise((r) => setTimeout(r, 5));
    const rest = [2, 3].map((v) => sut.submit(row(v), 1));
    await Promise.all([first, ...rest]);
    expect(runtime.runs).toEqual([3]);
  });
});
