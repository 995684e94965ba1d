import { describe, expect, it, jest } from '@jest/globals';

import {
  type InferRunOptions,
  type LoadedModel,
  type ModelRuntime,
  type NamedTensor,
  type WireInferBody,
  type WireInferOptions,
  type WireInferReply,
} from '@fledge/inference';

import { type BatchAnswer, DynamicBatcher, type Mirror, type MirrorAnswer } from './dynamic-batcher.js';
import { RunCost } from './run-cost.js';

interface Sent {
  settled: boolean;
  bodies: WireInferBody[];
  options: WireInferOptions;
  shadows: InferRunOptions['shadows'];
  answer: (runMs?: number) => void;
  fail: (error: unknown) => void;
}

const tick = () => new Promise((r) => setImmediate(r));

/**
 * The inference threads' stand-in at the ModelRuntime boundary: `threads` threads, each taking
 * one batch at a time (no pipelining unless `depth` > 1); every batch waits until the test answers
 * it, so what leaves when is observable without timing. Each body's answer echoes its first byte.
 */
class ThreadsStandIn implements ModelRuntime {
  readonly sent: Sent[] = [];
  private busy = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly threads = 1,
    private readonly depth = 1,
  ) {}

  load(): Promise<LoadedModel> {
    return Promise.reject(new Error('unused'));
  }
  run(): Promise<NamedTensor[]> {
    return Promise.reject(new Error('unused'));
  }
  release = () => Promise.resolve();
  close = () => Promise.resolve();

  infer(
    _key: string,
    bodies: readonly WireInferBody[],
    options: WireInferOptions,
    runOptions?: InferRunOptions,
  ): Promise<WireInferReply> {
    this.busy++;
    return new Promise((resolve, reject) => {
      const done = () => {
        sent.settled = true;
        this.busy--;
        for (const w of this.waiters.splice(0)) w();
      };
      const sent: Sent = {
        settled: false,
        bodies: [...bodies],
        options,
        shadows: runOptions?.shadows,
        answer: (runMs = 1) => {
          const responses = new ArrayBuffer(bodies.length);
          const view = new Uint8Array(responses);
          bodies.forEach((b, i) => (view[i] = b.body[0]));
          resolve({
            results: bodies.map((_, i) => ({ ok: true, rows: 1, offset: i, length: 1, contentType: 'x' })),
            responses,
            runs: [{ rows: bodies.length, ms: runMs }],
          });
          done();
        },
        fail: (error) => {
          reject(error);
          done();
        },
      };
      this.sent.push(sent);
    });
  }

  /** Answers every open batch, and those that follow, until nothing is left. */
  async answerAll(queued: () => number): Promise<void> {
    for (;;) {
      const open = this.sent.filter((s) => !s.settled);
      if (open.length === 0 && queued() === 0) return;
      for (const s of open) s.answer();
      await tick();
    }
  }

  hasCapacity(priority?: string): boolean {
    return priority === 'background' ? this.busy < this.threads : this.busy < this.threads * this.depth;
  }

  onCapacity(cb: () => void): void {
    this.waiters.push(cb);
  }
}

const infer = { modelName: 'e', modelVersion: '1', prediction: null };
const body = (v: number): WireInferBody => ({ body: Uint8Array.of(v), respond: true, summarize: false });
const byteOf = (a: BatchAnswer) => (a.result.ok ? new Uint8Array(a.responses)[a.result.offset] : -1);

describe(DynamicBatcher.name, () => {
  it('sends a request that finds the variant idle at once, alone: no batching delay', () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 500, maxQueueSize: 100 }, infer);
    void sut.submit(body(1));
    // Synchronously: no timer, no turn of the event loop.
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1]);
  });

  it('stacks what arrives while a batch runs and gives each request its own answer', async () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    const answers = Array.from({ length: 12 }, (_, i) => sut.submit(body(i)));
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1]);
    expect(sut.queued).toBe(11);
    runtime.sent[0].answer();
    await tick();
    // The 11 that queued leave together, within the batch size.
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1, 8]);
    runtime.sent[1].answer();
    await tick();
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1, 8, 3]);
    runtime.sent[2].answer();
    expect((await Promise.all(answers)).map(byteOf)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('sends a full batch ahead while another runs when the thread takes two', async () => {
    const runtime = new ThreadsStandIn(1, 2);
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 4, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    for (let i = 0; i < 3; i++) void sut.submit(body(i));
    // A partial batch waits for the running one...
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1]);
    for (let i = 3; i < 6; i++) void sut.submit(body(i));
    // ...a full one goes ahead.
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1, 4]);
  });

  it('uses an idle second thread at once, and holds a partial batch up to maxQueueDelayUs for it', async () => {
    const runtime = new ThreadsStandIn(2);
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    void sut.submit(body(0));
    void sut.submit(body(1));
    expect(runtime.sent.map((s) => s.bodies.length)).toEqual([1, 1]);

    jest.useFakeTimers();
    try {
      const delayed = new ThreadsStandIn(2);
      const held = new DynamicBatcher(
        delayed,
        'm',
        { maxBatchSize: 8, maxQueueDelayUs: 30_000, maxQueueSize: 100 },
        infer,
      );
      void held.submit(body(0));
      void held.submit(body(1));
      void held.submit(body(2));
      expect(delayed.sent.map((s) => s.bodies.length)).toEqual([1]);
      jest.advanceTimersByTime(29);
      expect(delayed.sent.map((s) => s.bodies.length)).toEqual([1]);
      // At 30 ms the partial batch leaves for the idle thread (the first has not answered).
      jest.advanceTimersByTime(1);
      expect(delayed.sent.map((s) => s.bodies.length)).toEqual([1, 2]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('caps batches at the rows its measured run time says are worth stacking', async () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 32, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    // Runs of 1 and of several rows, each row costing 10 ms on a 1 ms fixed cost: stacking buys nothing.
    void sut.submit(body(0));
    for (let i = 0; i < 4; i++) void sut.submit(body(i));
    runtime.sent[0].answer(11);
    await tick();
    expect(runtime.sent[1].bodies.length).toBe(4);
    runtime.sent[1].answer(41);
    await tick();
    expect(sut.batchRows).toBe(1);
    for (let i = 0; i < 3; i++) void sut.submit(body(i));
    expect(runtime.sent.at(-1)!.bodies.length).toBe(1);
    expect(runtime.sent.at(-1)!.options.maxBatchRows).toBe(1);
  });

  it('refuses at once with QUEUE_FULL when the queue is full, and keeps it bounded under overload', async () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 4, maxQueueDelayUs: 0, maxQueueSize: 16 }, infer);
    let refused = 0;
    let answered = 0;
    let maxQueued = 0;
    const all: Promise<unknown>[] = [];
    for (let wave = 0; wave < 50; wave++) {
      for (let i = 0; i < 200; i++) {
        all.push(
          sut.submit(body(i)).then(
            () => answered++,
            (error: unknown) => {
              expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'QUEUE_FULL' });
              refused++;
            },
          ),
        );
        maxQueued = Math.max(maxQueued, sut.queued);
      }
      for (const open of runtime.sent.filter((x) => !x.settled)) open.answer();
      await tick();
    }
    await runtime.answerAll(() => sut.queued);
    await Promise.all(all);
    expect(maxQueued).toBeLessThanOrEqual(16);
    expect(refused).toBeGreaterThan(9000);
    expect(answered + refused).toBe(10_000);
    expect(sut.queued).toBe(0);
  });

  it('fails every request of a batch whose thread died, and carries on with the next', async () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    const first = sut.submit(body(0));
    const batch = [1, 2, 3].map((v) => sut.submit(body(v)));
    runtime.sent[0].answer();
    await tick();
    const died = { code: 'UNAVAILABLE', reason: 'WORKER_DIED' };
    runtime.sent[1].fail(died);
    const after = sut.submit(body(9));
    expect(await Promise.allSettled(batch)).toEqual(batch.map(() => ({ status: 'rejected', reason: died })));
    runtime.sent[2].answer();
    expect(byteOf(await first)).toBe(0);
    expect(byteOf(await after)).toBe(9);
  });
});

describe(RunCost.name, () => {
  it('fits fixed and per-row cost from runs of different sizes', () => {
    const sut = new RunCost();
    expect(sut.estimate()).toBeNull();
    for (const rows of [1, 4, 2, 8, 1, 16]) sut.observe(rows, 0.05 + 0.002 * rows);
    const e = sut.estimate()!;
    expect(e.fixedMs).toBeCloseTo(0.05, 6);
    expect(e.perRowMs).toBeCloseTo(0.002, 6);
    // 9 × 0.05 / 0.002 = 225 rows before the fixed cost is under a tenth: capped by the maximum.
    expect(sut.batchRows(32)).toBe(32);
  });

  it('knows nothing from runs of one size, and batches a model whose rows dominate little', () => {
    const sut = new RunCost();
    for (let i = 0; i < 10; i++) sut.observe(1, 0.3);
    expect(sut.estimate()).toBeNull();
    expect(sut.batchRows(16)).toBe(16);
    for (const rows of [2, 3]) sut.observe(rows, 0.1 + 0.2 * rows);
    expect(sut.batchRows(16)).toBe(Math.ceil((9 * sut.estimate()!.fixedMs) / sut.estimate()!.perRowMs));
  });

  it('sends mirrors with their batch to the shadow model, and drops them when a full batch waits behind', async () => {
    const runtime = new ThreadsStandIn();
    const shadow = new DynamicBatcher(runtime, 's', { maxBatchSize: 4, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 2, maxQueueDelayUs: 0, maxQueueSize: 100 }, infer);
    const answers: MirrorAnswer[][] = [];
    const mirrored = (i: number): Mirror[] => {
      answers[i] = [];
      return [{ to: shadow, settle: (a) => answers[i].push(a) }];
    };
    void sut.submit(body(0), mirrored(0));
    // Four more queue while the first runs: the first two leave with two more still waiting.
    for (let i = 1; i <= 4; i++) void sut.submit(body(i), mirrored(i));
    expect(runtime.sent[0].shadows?.runs).toEqual([{ key: 's', options: { ...infer, maxBatchRows: 4 }, bodies: [0] }]);
    runtime.sent[0].answer();
    await tick();
    expect(runtime.sent[1].bodies.map((b) => b.body[0])).toEqual([1, 2]);
    expect(runtime.sent[1].shadows).toBeUndefined();
    expect([answers[1], answers[2]]).toEqual([[{ kind: 'dropped' }], [{ kind: 'dropped' }]]);
    runtime.sent[1].answer();
    await tick();
    // Nothing waits behind the last two: their mirrors go.
    expect(runtime.sent[2].shadows?.runs.map((r) => r.bodies)).toEqual([[0, 1]]);
    const result = { ok: true as const, rows: 1, offset: 0, length: 0, summary: null };
    runtime.sent[0].shadows!.settle([{ results: [result], runs: [{ rows: 1, ms: 1 }] }]);
    runtime.sent[2].shadows!.settle(new Error('thread died'));
    expect(answers).toEqual([
      [{ kind: 'answered', result }],
      [{ kind: 'dropped' }],
      [{ kind: 'dropped' }],
      [{ kind: 'failed', error: new Error('thread died') }],
      [{ kind: 'failed', error: new Error('thread died') }],
    ]);
  });

  it('drops the mirrors of a request refused with QUEUE_FULL', async () => {
    const runtime = new ThreadsStandIn();
    const sut = new DynamicBatcher(runtime, 'm', { maxBatchSize: 1, maxQueueDelayUs: 0, maxQueueSize: 1 }, infer);
    void sut.submit(body(0));
    void sut.submit(body(1));
    const settled: MirrorAnswer[] = [];
    await expect(sut.submit(body(2), [{ to: sut, settle: (a) => settled.push(a) }])).rejects.toMatchObject({
      reason: 'QUEUE_FULL',
    });
    expect(settled).toEqual([{ kind: 'dropped' }]);
  });
});
