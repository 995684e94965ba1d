import { type RolloutPolicy, type VersionRef } from '@fledge/domain';

/** One stage of a rollout; `key` is also the idempotency key of the stage's traffic change. */
export type Stage =
  | { kind: 'shadow'; key: 'shadow' }
  | { kind: 'canary'; key: string; step: number }
  | { kind: 'approval'; key: 'approval' }
  | { kind: 'promoting'; key: 'promoting' }
  | { kind: 'final'; key: 'final' };

/** The stages in order; a first deploy (no baseline) goes from the gate straight to 100%. */
export function planStages({ policy, baseline }: { policy: RolloutPolicy; baseline: VersionRef | null }): Stage[] {
  if (baseline === null)
    return [
      { kind: 'promoting', key: 'promoting' },
      { kind: 'final', key: 'final' },
    ];
  const stages: Stage[] = [];
  if (policy.shadow.enabled) stages.push({ kind: 'shadow', key: 'shadow' });
  policy.canary.steps.forEach((_, i) => stages.push({ kind: 'canary', key: `canary-${i + 1}`, step: i + 1 }));
  if (policy.promote.requireApproval) stages.push({ kind: 'approval', key: 'approval' });
  stages.push({ kind: 'promoting', key: 'promoting' }, { kind: 'final', key: 'final' });
  return stages;
}
