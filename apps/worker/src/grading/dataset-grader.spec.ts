import { Readable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';
import { decidePrediction, type ModelSignature } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';
import { type ModelRuntime, type NamedTensor } from '@fledge/inference';
import { type GradingHeartbeat } from '@fledge/workflows';

import { gradeStream, type GradeStreamOptions } from './dataset-grader.js';

const signature: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
};

// Row i: x = [i, i % 3], label (i * 7) % 3; the fake model puts 0.8 on class x[1].
const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ x: [i, i % 3], y: (i * 7) % 3 })).join('\n');

/** A runtime whose model scores class x[1]; counts the rows it ran; can fail on a chosen run. */
function fakeRuntime(failOnRun?: number) {
  let runs = 0;
  let rowsRun = 0;
  const runtime = {
    async run(_key: string, inputs: readonly NamedTensor[]): Promise<NamedTensor[]> {
      runs++;
      if (runs === failOnRun) throw new Error('worker lost');
      const x = inputs[0].data as Float32Array;
      const n = inputs[0].shape[0];
      rowsRun += n;
      const p = new Float32Array(n * 3).fill(0.1);
      for (let r = 0; r < n; r++) p[r * 3 + x[r * 2 + 1]] = 0.8;
      return [{ name: 'probabilities', datatype: 'FP32', shape: [n, 3], data: p }];
    },
  } as unknown as ModelRuntime;
  return { runtime, rowsRun: () => rowsRun };
}

const options = (runtime: ModelRuntime, extra: Partial<GradeStreamOptions> = {}): GradeStreamOptions => ({
  runtime,
  modelKey: 'm',
  signature,
  task: 'classification',
  prediction: decidePrediction({ signature, task: 'classification', metadata: { labels: ['a', 'b', 'c'] } }),
  labels: ['a', 'b', 'c'],
  source: Readable.from([rows]),
  format: 'jsonl',
  compression: 'none',
  featureColumns: ['x'],
  labelColumn: 'y',
  batchSize: 8,
  progressIntervalMs: 0,
  ...extra,
});

describe(gradeStream.name, () => {
  it('resumes from the last heartbeat to the metrics of an uninterrupted run, grading each row once', async () => {
    const whole = await gradeStream(options(fakeRuntime().runtime));
    expect(whole.rowsDone).toBe(50);
    expect(whole.latency.run).toMatchObject({ attempts: 1, resumedFromRow: 0, rowsGraded: 50, batchSize: 8 });

    const heartbeats: GradingHeartbeat[] = [];
    const first = fakeRuntime(4);
    await expect(
      gradeStream(options(first.runtime, { onProgress: (p) => void heartbeats.push(JSON.parse(JSON.stringify(p))) })),
    ).rejects.toThrow('worker lost');
    const last = heartbeats.at(-1)!;
    expect(last).toMatchObject({ lastRow: 24, rowsDone: 24, rowsGraded: 24, attempts: 1 });

    const second = fakeRuntime();
    const resumed = await gradeStream(options(second.runtime, { resume: last }));
    expect(second.rowsRun()).toBe(26);
    expect(resumed.metrics).toEqual(whole.metrics);
    expect(resumed.latency.run).toMatchObject({ attempts: 2, resumedFromRow: 24, rowsGraded: 50 });
  });

  it('names the rows of a batch the model fails on', async () => {
    const runtime = {
      run: async () => {
        throw new FledgeError('INTERNAL', 'the model failed to run: bad dims', { reason: 'MODEL_RUN_FAILED' });
      },
    } as unknown as ModelRuntime;
    await expect(gradeStream(options(runtime))).rejects.toThrow('rows 1-8: the model failed to run: bad dims');
  });
});
