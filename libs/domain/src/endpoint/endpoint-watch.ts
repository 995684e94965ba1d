import { type DesiredVariant } from '../traffic/traffic-plan.js';

/**
 * The candidate a hosting backend's own alarms (e.g. CloudWatch's) should watch under a traffic
 * plan: while it takes traffic (routed or mirrored) and the endpoint still has something to fall
 * back to. Nothing once it serves alone (promoted, or a first deploy), nor once rollback has set its
 * weight to 0.
 */
export function watchedCandidate(
  variants: readonly DesiredVariant[],
  candidateVersionId: string,
): DesiredVariant | null {
  const candidate = variants.find((v) => v.modelVersionId === candidateVersionId);
  if (!candidate || variants.length < 2) return null;
  return candidate.role === 'shadow' || candidate.weight > 0 ? candidate : null;
}
