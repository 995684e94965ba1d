import { describe, expect, it } from '@jest/globals';

import { resolveRolloutPolicy } from '@fledge/domain';

import { planStages } from './rollout-stages.js';

const baseline = { modelVersionId: 'mv-1', modelName: 'digits', version: 1 };

describe(planStages.name, () => {
  it('plans shadow, each canary step, promotion and the final switch, keyed uniquely', () => {
    const sut = planStages({ policy: resolveRolloutPolicy({}), baseline });
    expect(sut.map((s) => s.key)).toEqual(['shadow', 'canary-1', 'canary-2', 'canary-3', 'promoting', 'final']);
    expect(new Set(sut.map((s) => s.key)).size).toBe(sut.length);
  });

  it('adds the approval gate before promotion and leaves out a disabled shadow', () => {
    const policy = resolveRolloutPolicy({
      shadow: { enabled: false },
      canary: { steps: [{ weight: 20, bakeSeconds: 60 }] },
      promote: { requireApproval: true },
    });
    expect(planStages({ policy, baseline }).map((s) => s.key)).toEqual(['canary-1', 'approval', 'promoting', 'final']);
  });

  it('sends a first deploy from the gate straight to 100%', () => {
    const policy = resolveRolloutPolicy({ promote: { requireApproval: true } });
    expect(planStages({ policy, baseline: null }).map((s) => s.kind)).toEqual(['promoting', 'final']);
  });
});
