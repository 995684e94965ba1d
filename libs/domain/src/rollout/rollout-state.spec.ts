import { describe, expect, it } from '@jest/globals';

import {
  activeRolloutStates,
  assertTransition,
  canTransition,
  describeRollbackCause,
  isTerminalRolloutState,
  rollbackOutcome,
  RolloutState,
  terminalRolloutStates,
} from './rollout-state.js';

describe('rollout state machine', () => {
  it('follows the designed happy path', () => {
    const path: RolloutState[] = ['PENDING', 'GATING', 'SHADOW', 'CANARY', 'CANARY', 'PROMOTING', 'SUCCEEDED'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });

  it('rejects at the gate without touching traffic, and rolls back only from traffic-bearing states', () => {
    expect(canTransition('GATING', 'REJECTED')).toBe(true);
    expect(canTransition('GATING', 'ROLLING_BACK')).toBe(false);
    for (const s of ['SHADOW', 'CANARY', 'PROMOTING'] as const) expect(canTransition(s, 'ROLLING_BACK')).toBe(true);
    expect(() => assertTransition('SUCCEEDED', 'ROLLING_BACK')).toThrow(
      'illegal rollout transition SUCCEEDED → ROLLING_BACK',
    );
  });

  it('partitions states into active and terminal', () => {
    const all = Object.values(RolloutState);
    expect([...activeRolloutStates, ...terminalRolloutStates].sort()).toEqual([...all].sort());
    for (const s of terminalRolloutStates) {
      expect(isTerminalRolloutState(s)).toBe(true);
      for (const t of all) expect(canTransition(s, t)).toBe(false);
    }
  });

  it('ends an abort as ABORTED and any other rollback as ROLLED_BACK', () => {
    expect(rollbackOutcome({ kind: 'abort', by: 'alice', reason: 'wrong build' })).toBe('ABORTED');
    expect(rollbackOutcome({ kind: 'alarm', source: 'alertmanager', name: 'HighLatency' })).toBe('ROLLED_BACK');
    expect(describeRollbackCause({ kind: 'alarm', source: 'alertmanager', name: 'HighLatency' })).toBe(
      'alarm HighLatency from alertmanager',
    );
  });
});
