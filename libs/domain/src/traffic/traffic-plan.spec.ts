import { describe, expect, it } from '@jest/globals';
import { FledgeError } from '@fledge/errors';

import { planTraffic, validateVariants, type DesiredVariant, type TrafficPhase } from './traffic-plan.js';

const v1 = { modelVersionId: 'id-1', modelName: 'digits', version: 1 };
const v2 = { modelVersionId: 'id-2', modelName: 'digits', version: 2 };

describe(planTraffic.name, () => {
  it('plans each phase with serving weights summing to 100', () => {
    const phases: TrafficPhase[] = [
      { phase: 'baseline' },
      { phase: 'shadow', sampleRate: 0.5 },
      { phase: 'canary', weight: 25 },
      { phase: 'promoting' },
      { phase: 'final' },
      { phase: 'rollback' },
    ];
    for (const phase of phases) expect(() => validateVariants(planTraffic(phase, v2, v1))).not.toThrow();
    expect(planTraffic({ phase: 'canary', weight: 25 }, v2, v1)).toEqual([
      { name: 'digits-v1', modelVersionId: 'id-1', role: 'primary', weight: 75, shadowSampleRate: 0 },
      { name: 'digits-v2', modelVersionId: 'id-2', role: 'canary', weight: 25, shadowSampleRate: 0 },
    ]);
    expect(planTraffic({ phase: 'rollback' }, v2, v1).map((v) => [v.name, v.weight])).toEqual([
      ['digits-v1', 100],
      ['digits-v2', 0],
    ]);
  });

  it('sends a first deploy straight to 100% and refuses a candidate that is the baseline', () => {
    expect(planTraffic({ phase: 'final' }, v1, null)).toEqual([
      { name: 'digits-v1', modelVersionId: 'id-1', role: 'primary', weight: 100, shadowSampleRate: 0 },
    ]);
    expect(planTraffic({ phase: 'rollback' }, v1, null)).toEqual([]);
    expect(() => planTraffic({ phase: 'final' }, v1, v1)).toThrow(FledgeError);
  });
});

describe(validateVariants.name, () => {
  const base: DesiredVariant = { name: 'a', modelVersionId: '1', role: 'primary', weight: 100, shadowSampleRate: 0 };

  it.each([
    [[{ ...base, weight: 90 }], 'serving weights sum to 90, not 100'],
    [[base, { ...base, name: 'b', role: 'canary' as const, weight: 101 }], 'weight 101 must be an integer in 0..100'],
    [[base, { ...base, name: 'b', role: 'shadow' as const, weight: 5, shadowSampleRate: 1 }], 'must have weight 0'],
    [[base, { ...base, name: 'b', role: 'shadow' as const, weight: 0, shadowSampleRate: 0 }], 'needs a sample rate'],
    [[base, { ...base }], 'appears twice'],
    [[{ ...base, role: 'shadow' as const, weight: 0, shadowSampleRate: 1 }], 'needs a serving variant'],
  ])('refuses %j', (variants, message) => {
    expect(() => validateVariants(variants)).toThrow(message);
  });

  it('accepts an empty endpoint and a shadow that carries no weight', () => {
    expect(() => validateVariants([])).not.toThrow();
    expect(() =>
      validateVariants([base, { ...base, name: 'b', role: 'shadow', weight: 0, shadowSampleRate: 0.1 }]),
    ).not.toThrow();
  });
});
