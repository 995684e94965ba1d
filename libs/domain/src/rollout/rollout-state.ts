export const RolloutState = {
  PENDING: 'PENDING',
  GATING: 'GATING',
  SHADOW: 'SHADOW',
  CANARY: 'CANARY',
  PROMOTING: 'PROMOTING',
  SUCCEEDED: 'SUCCEEDED',
  REJECTED: 'REJECTED',
  ROLLING_BACK: 'ROLLING_BACK',
  ROLLED_BACK: 'ROLLED_BACK',
  ABORTED: 'ABORTED',
  FAILED: 'FAILED',
} as const;

export type RolloutState = (typeof RolloutState)[keyof typeof RolloutState];

export const terminalRolloutStates: readonly RolloutState[] = [
  'SUCCEEDED',
  'REJECTED',
  'ROLLED_BACK',
  'ABORTED',
  'FAILED',
];
export const activeRolloutStates: readonly RolloutState[] = [
  'PENDING',
  'GATING',
  'SHADOW',
  'CANARY',
  'PROMOTING',
  'ROLLING_BACK',
];

/** States in which the candidate may be carrying traffic, so leaving them needs a rollback. */
export const trafficBearingStates: readonly RolloutState[] = ['SHADOW', 'CANARY', 'PROMOTING'];

const transitions: Record<RolloutState, readonly RolloutState[]> = {
  PENDING: ['GATING', 'ABORTED', 'FAILED'],
  GATING: ['SHADOW', 'CANARY', 'PROMOTING', 'REJECTED', 'ABORTED', 'FAILED'],
  SHADOW: ['CANARY', 'PROMOTING', 'ROLLING_BACK'],
  CANARY: ['CANARY', 'PROMOTING', 'ROLLING_BACK'],
  PROMOTING: ['SUCCEEDED', 'ROLLING_BACK'],
  ROLLING_BACK: ['ROLLED_BACK', 'ABORTED', 'FAILED'],
  SUCCEEDED: [],
  REJECTED: [],
  ROLLED_BACK: [],
  ABORTED: [],
  FAILED: [],
};

export function isTerminalRolloutState(state: RolloutState): boolean {
  return terminalRolloutStates.includes(state);
}

export function canTransition(from: RolloutState, to: RolloutState): boolean {
  return transitions[from].includes(to);
}

/** Guards every state change of the rollout workflow; an illegal one is a programming error. */
export function assertTransition(from: RolloutState, to: RolloutState): RolloutState {
  if (!canTransition(from, to)) throw new Error(`illegal rollout transition ${from} → ${to}`);
  return to;
}

/** Why a rollout is being taken back, recorded with the rollback. */
export type RollbackCause =
  | { kind: 'alarm'; source: string; name: string; alarmId?: string }
  | { kind: 'slo'; phase: 'shadow' | 'canary' | 'promoting'; summary: string }
  | { kind: 'insufficient-samples'; phase: 'shadow' | 'canary' | 'promoting'; summary: string }
  | { kind: 'abort'; by: string; reason: string }
  | { kind: 'error'; message: string };

/** The terminal state a rollback ends in: an operator's abort is ABORTED, everything else ROLLED_BACK. */
export function rollbackOutcome(cause: RollbackCause): RolloutState {
  return cause.kind === 'abort' ? 'ABORTED' : 'ROLLED_BACK';
}

export function describeRollbackCause(cause: RollbackCause): string {
  switch (cause.kind) {
    case 'alarm':
      return `alarm ${cause.name} from ${cause.source}`;
    case 'slo':
      return `SLO breach during ${cause.phase}: ${cause.summary}`;
    case 'insufficient-samples':
      return `not enough traffic during ${cause.phase}: ${cause.summary}`;
    case 'abort':
      return `aborted by ${cause.by}${cause.reason ? `: ${cause.reason}` : ''}`;
    case 'error':
      return `error: ${cause.message}`;
  }
}
