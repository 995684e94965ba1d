import { describe, expect, it } from '@jest/globals';

import { WindowedStats } from './windowed-stats.js';

describe(WindowedStats.name, () => {
  it('merges one-second slots into a window and forgets what fell off the ring', () => {
    let now = 1_000_000;
    const sut = new WindowedStats(10, () => now);
    for (let i = 1; i <= 100; i++) sut.recordRequest(i / 10, undefined);
    sut.recordRequest(5, 'model_error');
    now += 3000;
    sut.recordRequest(50, undefined);
    sut.recordShadow({ rows: 4, agreeing: 3 });
    sut.recordShadow('dropped');

    const all = sut.snapshot(now - 5000);
    expect(all).toMatchObject({
      requests: 102,
      errors: 1,
      errorsByKind: { model_error: 1 },
      shadowSamples: 4,
      shadowDrops: 1,
    });
    expect(all.agreement).toBeCloseTo(0.75);
    expect(all.p50Ms).toBeCloseTo(5.1, 0);
    expect(all.maxMs).toBeCloseTo(50, 0);

    const recent = sut.snapshot(now - 1000);
    expect(recent.requests).toBe(1);
    expect(recent.p99Ms).toBeCloseTo(50, 0);

    now += 20_000;
    sut.recordRequest(1, undefined);
    expect(sut.snapshot(now - 60_000).requests).toBe(1);
  });
});
