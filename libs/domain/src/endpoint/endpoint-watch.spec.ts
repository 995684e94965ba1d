import { describe, expect, it } from '@jest/globals';

import { planTraffic, type TrafficPhase } from '../traffic/traffic-plan.js';
import { watchedCandidate } from './endpoint-watch.js';

const baseline = { modelVersionId: 'b', modelName: 'digits', version: 1 };
const candidate = { modelVersionId: 'c', modelName: 'digits', version: 2 };

describe(watchedCandidate.name, () => {
  it.each<[TrafficPhase, string | null]>([
    [{ phase: 'shadow', sampleRate: 0.5 }, 'digits-v2'],
    [{ phase: 'canary', weight: 25 }, 'digits-v2'],
    [{ phase: 'promoting' }, 'digits-v2'],
    [{ phase: 'final' }, null],
    [{ phase: 'rollback' }, null],
    [{ phase: 'baseline' }, null],
  ])('watches the candidate in %j: %s', (phase, watched) => {
    expect(watchedCandidate(planTraffic(phase, candidate, baseline), 'c')?.name ?? null).toBe(watched);
  });

  it('watches nothing on a first deploy (nothing to fall back to)', () => {
    expect(watchedCandidate(planTraffic({ phase: 'promoting' }, candidate, null), 'c')).toBeNull();
  });
});
