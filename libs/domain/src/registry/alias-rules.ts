/** The alias a successful rollout moves to its candidate. */
export const PRODUCTION_ALIAS = 'production';

/** Where an alias points now, and the endpoint that holds it (null when it was last set by hand). */
export interface AliasPosition {
  versionId: string;
  endpointId: string | null;
}

/** A successful rollout: the endpoint it ran on, the version it put there and the one it replaced. */
export interface Promotion {
  endpointId: string;
  candidateVersionId: string;
  baselineVersionId: string | null;
}

/**
 * Aliases follow endpoints. A successful rollout on an endpoint moves `production` of the
 * candidate's model to the candidate, and the endpoint then holds it, when the alias is
 * - unset (the model's first rollout anywhere),
 * - held by that endpoint, or
 * - held by no endpoint (set by hand) and naming the version the rollout replaced or put in place.
 * An alias held by another endpoint never moves, so deploying an older version of a model to a
 * second endpoint cannot take `production` backwards.
 */
export function promotionMovesAlias(current: AliasPosition | null, promotion: Promotion): boolean {
  if (!current) return true;
  if (current.endpointId !== null) return current.endpointId === promotion.endpointId;
  return current.versionId === promotion.baselineVersionId || current.versionId === promotion.candidateVersionId;
}
