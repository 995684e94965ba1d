import { FledgeError } from '@fledge/errors';

export type VariantRole = 'primary' | 'canary' | 'shadow';

/** One variant of an endpoint as the control plane wants it served. */
export interface DesiredVariant {
  name: string;
  modelVersionId: string;
  role: VariantRole;
  /** Share of routed traffic, 0..100; shadow variants have 0 and receive mirrored traffic instead. */
  weight: number;
  shadowSampleRate: number;
}

export interface VersionRef {
  modelVersionId: string;
  modelName: string;
  version: number;
}

export function variantName(ref: Pick<VersionRef, 'modelName' | 'version'>): string {
  return `${ref.modelName}-v${ref.version}`;
}

const variant = (ref: VersionRef, role: VariantRole, weight: number, shadowSampleRate = 0): DesiredVariant => ({
  name: variantName(ref),
  modelVersionId: ref.modelVersionId,
  role,
  weight,
  shadowSampleRate,
});

export type TrafficPhase =
  | { phase: 'baseline' }
  | { phase: 'shadow'; sampleRate: number }
  | { phase: 'canary'; weight: number }
  | { phase: 'promoting' }
  | { phase: 'final' }
  | { phase: 'rollback' };

/**
 * The variants an endpoint serves in each phase of a rollout. Rollback first routes 100% to the
 * baseline while the candidate stays loaded (phase `rollback`), then `baseline` removes it.
 * During `promoting` the baseline stays loaded at weight 0 so a late alarm reverts instantly.
 */
export function planTraffic(plan: TrafficPhase, candidate: VersionRef, baseline: VersionRef | null): DesiredVariant[] {
  if (baseline === null) {
    if (plan.phase === 'rollback' || plan.phase === 'baseline') return [];
    return [variant(candidate, 'primary', 100)];
  }
  if (baseline.modelVersionId === candidate.modelVersionId) {
    throw new FledgeError('INVALID_ARGUMENT', 'the candidate is already the version serving this endpoint', {
      reason: 'CANDIDATE_IS_BASELINE',
    });
  }
  switch (plan.phase) {
    case 'baseline':
      return [variant(baseline, 'primary', 100)];
    case 'shadow':
      return [variant(baseline, 'primary', 100), variant(candidate, 'shadow', 0, plan.sampleRate)];
    case 'canary':
      return [variant(baseline, 'primary', 100 - plan.weight), variant(candidate, 'canary', plan.weight)];
    case 'promoting':
      return [variant(candidate, 'primary', 100), variant(baseline, 'canary', 0)];
    case 'final':
      return [variant(candidate, 'primary', 100)];
    case 'rollback':
      return [variant(baseline, 'primary', 100), variant(candidate, 'canary', 0)];
  }
}

/**
 * The endpoint invariant: weights are integers in 0..100, shadow variants carry none, variant names
 * are unique, and the serving (non-shadow) weights sum to exactly 100 unless nothing serves.
 */
export function validateVariants(variants: readonly DesiredVariant[]): void {
  const names = new Set<string>();
  let serving = 0;
  let total = 0;
  for (const v of variants) {
    if (names.has(v.name)) throw invalid(`variant ${v.name} appears twice`);
    names.add(v.name);
    if (!Number.isInteger(v.weight) || v.weight < 0 || v.weight > 100) {
      throw invalid(`variant ${v.name}: weight ${v.weight} must be an integer in 0..100`);
    }
    if (!(v.shadowSampleRate >= 0 && v.shadowSampleRate <= 1)) {
      throw invalid(`variant ${v.name}: shadow sample rate ${v.shadowSampleRate} must be in 0..1`);
    }
    if (v.role === 'shadow') {
      if (v.weight !== 0) throw invalid(`shadow variant ${v.name} must have weight 0`);
      if (v.shadowSampleRate <= 0) throw invalid(`shadow variant ${v.name} needs a sample rate above 0`);
    } else {
      serving++;
      total += v.weight;
    }
  }
  if (serving > 0 && total !== 100) throw invalid(`serving weights sum to ${total}, not 100`);
  if (serving === 0 && variants.length > 0) throw invalid('an endpoint with a shadow needs a serving variant');
}

function invalid(message: string): FledgeError {
  return new FledgeError('INVALID_ARGUMENT', message, { reason: 'VARIANTS_INVALID' });
}
