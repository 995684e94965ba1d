import { describe, expect, it } from '@jest/globals';

import { promotionMovesAlias, type AliasPosition, type Promotion } from './alias-rules.js';

const onWeb = (candidateVersionId: string, baselineVersionId: string | null): Promotion => ({
  endpointId: 'web',
  candidateVersionId,
  baselineVersionId,
});

describe(promotionMovesAlias.name, () => {
  it('sets an unset alias on the first rollout of the model anywhere', () => {
    expect(promotionMovesAlias(null, onWeb('v1', null))).toBe(true);
  });

  it('moves an alias its endpoint holds, forwards or backwards', () => {
    const heldByWeb: AliasPosition = { versionId: 'v2', endpointId: 'web' };
    expect(promotionMovesAlias(heldByWeb, onWeb('v3', 'v2'))).toBe(true);
    expect(promotionMovesAlias(heldByWeb, onWeb('v1', 'v2'))).toBe(true);
  });

  it('never moves an alias another endpoint holds, whatever the versions', () => {
    const heldByBatch: AliasPosition = { versionId: 'v2', endpointId: 'batch' };
    expect(promotionMovesAlias(heldByBatch, onWeb('v1', null))).toBe(false);
    expect(promotionMovesAlias(heldByBatch, onWeb('v3', 'v2'))).toBe(false);
    expect(promotionMovesAlias(heldByBatch, onWeb('v2', 'v1'))).toBe(false);
  });

  it('takes over an alias set by hand only when the rollout replaced or put in place the version it names', () => {
    const byHand: AliasPosition = { versionId: 'v2', endpointId: null };
    expect(promotionMovesAlias(byHand, onWeb('v3', 'v2'))).toBe(true);
    expect(promotionMovesAlias(byHand, onWeb('v2', null))).toBe(true);
    expect(promotionMovesAlias(byHand, onWeb('v1', null))).toBe(false);
    expect(promotionMovesAlias(byHand, onWeb('v4', 'v3'))).toBe(false);
  });
});
