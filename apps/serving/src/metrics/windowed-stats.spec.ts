import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { fuzzParameters } from '../../../../libs/inference/test/fuzz.util.js';
import { latencyDistribution, MAX_LATENCY_BINS, mergeWindows, WindowedStats } from './windowed-stats.js';

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

describe('WindowedStats: client and server errors', () => {
  it('counts client errors apart from server-side faults, both within requests', () => {
    const now = 5_000_000;
    const sut = new WindowedStats(60, () => now);
    for (let i = 0; i < 6; i++) sut.recordRequest(2, undefined);
    for (let i = 0; i < 4; i++) sut.recordRequest(0.3, 'invalid_input');
    sut.recordRequest(3, 'model_error');
    sut.recordRequest(0.1, 'queue_full');
    sut.recordRequest(1, 'unavailable');
    sut.recordQueue(6);

    const snap = sut.snapshot(now - 10_000);
    expect(snap).toMatchObject({
      requests: 13,
      errors: 3,
      errorsByKind: { model_error: 1, queue_full: 1, unavailable: 1 },
      clientErrors: 4,
      clientErrorsByKind: { invalid_input: 4 },
      meanQueueMs: 1,
    });
    expect(snap.latency.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(snap.latency.valuesMs).toEqual([expect.closeTo(2, 1)]);
  });
});

describe(latencyDistribution.name, () => {
  const record = (latenciesMs: number[]) => {
    const sut = new WindowedStats(10, () => 0);
    for (const ms of latenciesMs) sut.recordRequest(ms, undefined);
    return sut.snapshot(0, 0);
  };
  const latencyMs = fc.double({ min: 0.001, max: 100_000, noNaN: true });

  it('bins every successful request within 1% of its latency, ascending, and agrees with the percentiles', () => {
    fc.assert(
      fc.property(fc.array(latencyMs, { minLength: 1, maxLength: 400 }), (latencies) => {
        const snap = record(latencies);
        const { valuesMs, counts } = snap.latency;
        expect(counts.reduce((a, b) => a + b, 0)).toBe(latencies.length);
        for (let i = 1; i < valuesMs.length; i++) expect(valuesMs[i]).toBeGreaterThan(valuesMs[i - 1]);
        for (const ms of latencies) {
          const us = Math.max(1, Math.round(ms * 1000));
          // Each latency lands in the bin whose (highest equivalent) value is the first ≥ it.
          const binUs = valuesMs.map((v) => Math.round(v * 1000)).find((v) => v >= us)!;
          expect(binUs - us).toBeLessThanOrEqual(Math.max(1, us * 0.01));
        }
        // The p99 HDR reports is the bin value at the 99th percentile of the binned counts.
        const rank = Math.ceil(0.99 * latencies.length);
        let seen = 0;
        const p99 = valuesMs.find((_, i) => (seen += counts[i]) >= rank);
        expect(p99).toBe(snap.p99Ms);
      }),
      fuzzParameters('latency distribution', 200),
    );
  });

  it(`merges neighbouring buckets beyond ${MAX_LATENCY_BINS} bins, keeping counts and order`, () => {
    // 20,000 latencies log-spread over 1 µs .. 100 s: a few thousand distinct HDR buckets.
    const latencies = Array.from({ length: 20_000 }, (_, i) => 0.001 * 10 ** ((8 * i) / 20_000));
    const snap = record(latencies);
    const { valuesMs, counts } = snap.latency;
    expect(valuesMs.length).toBeLessThanOrEqual(MAX_LATENCY_BINS);
    expect(valuesMs.length).toBeGreaterThan(MAX_LATENCY_BINS / 2);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20_000);
    for (let i = 1; i < valuesMs.length; i++) expect(valuesMs[i]).toBeGreaterThan(valuesMs[i - 1]);
    expect(valuesMs[0]).toBeGreaterThanOrEqual(0.001);
    expect(valuesMs.at(-1)).toBeLessThanOrEqual(snap.maxMs);
  });

  it('is empty for a window without successful requests', () => {
    const sut = new WindowedStats(10, () => 0);
    sut.recordRequest(1, 'invalid_input');
    expect(sut.snapshot(0, 0).latency).toEqual({ valuesMs: [], counts: [] });
  });
});

describe(mergeWindows.name, () => {
  it('merges processes by their histogram buckets: the same window as one process that saw everything', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0.001, max: 60_000, noNaN: true })), { maxLength: 300 }),
        fc.array(fc.constantFrom('invalid_input' as const, 'queue_full' as const, 'model_error' as const), {
          maxLength: 10,
        }),
        (requests, errors) => {
          const a = new WindowedStats(10, () => 5000);
          const b = new WindowedStats(10, () => 5000);
          const all = new WindowedStats(10, () => 5000);
          for (const [toA, ms] of requests) {
            (toA ? a : b).recordRequest(ms, undefined);
            all.recordRequest(ms, undefined);
          }
          errors.forEach((kind, i) => {
            (i % 2 ? a : b).recordRequest(1, kind);
            all.recordRequest(1, kind);
          });
          expect(mergeWindows([a.partial(0), b.partial(0)])).toEqual(all.snapshot(0));
        },
      ),
      fuzzParameters('window merge across processes', 100),
    );
  });

  it('never averages percentiles: a slow process weighs by its requests', () => {
    const fast = new WindowedStats(10, () => 0);
    const slow = new WindowedStats(10, () => 0);
    for (let i = 0; i < 98; i++) fast.recordRequest(1, undefined);
    for (let i = 0; i < 2; i++) slow.recordRequest(100, undefined);
    const merged = mergeWindows([fast.partial(0), slow.partial(0)]);
    expect(merged.requests).toBe(100);
    expect(merged.p50Ms).toBeCloseTo(1, 1);
    expect(merged.p99Ms).toBeCloseTo(100, 0);
    expect(merged.latency.counts.reduce((x, y) => x + y, 0)).toBe(100);
  });
});
