import { describe, expect, it } from '@jest/globals';

import { WeightedRouter } from './weighted-router.js';

describe(WeightedRouter.name, () => {
  it('splits 90/10 exactly over every 100 requests and interleaves the minority', () => {
    const sut = new WeightedRouter([
      { target: 'a', weight: 90 },
      { target: 'b', weight: 10 },
    ]);
    const picks = Array.from({ length: 10_000 }, () => sut.pick());
    expect(picks.filter((p) => p === 'b')).toHaveLength(1000);
    const firstHundred = picks.slice(0, 100);
    expect(firstHundred.filter((p) => p === 'b')).toHaveLength(10);
    expect(firstHundred.indexOf('b')).toBeLessThan(20);
  });

  it('never picks a zero-weight variant and returns nothing when nothing serves', () => {
    const sut = new WeightedRouter([
      { target: 'a', weight: 100 },
      { target: 'b', weight: 0 },
    ]);
    expect(new Set(Array.from({ length: 500 }, () => sut.pick()))).toEqual(new Set(['a']));
    expect(new WeightedRouter([{ target: 'x', weight: 0 }]).pick()).toBeUndefined();
  });

  it('keeps a routing key on one variant and spreads many keys by weight', () => {
    const sut = new WeightedRouter([
      { target: 'a', weight: 70 },
      { target: 'b', weight: 30 },
    ]);
    const first = sut.pick('user-42');
    for (let i = 0; i < 50; i++) expect(sut.pick('user-42')).toBe(first);
    const keys = Array.from({ length: 20_000 }, (_, i) => sut.pick(`user-${i}`));
    const share = keys.filter((k) => k === 'b').length / keys.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
  });
});
