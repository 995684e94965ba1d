import { isTerminalRolloutState, type RolloutState } from '@fledge/client';
import { type ErrorCode } from '@fledge/errors';

/** Process exit codes scripts can rely on; printed in `fledge --help`. */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  AUTH: 4,
  CONFLICT: 5,
  INVALID: 6,
  UNREACHABLE: 7,
  /** A watched rollout ended other than SUCCEEDED (rejected, rolled back, aborted, failed). */
  ROLLOUT_NOT_SUCCEEDED: 8,
  /** Ctrl-C while watching: the watch stopped, the rollout goes on. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const exitCodeByErrorCode: Record<ErrorCode, ExitCode> = {
  NOT_FOUND: ExitCode.NOT_FOUND,
  UNAUTHENTICATED: ExitCode.AUTH,
  FORBIDDEN: ExitCode.AUTH,
  CONFLICT: ExitCode.CONFLICT,
  INVALID_ARGUMENT: ExitCode.INVALID,
  PAYLOAD_TOO_LARGE: ExitCode.INVALID,
  REQUEST_TIMEOUT: ExitCode.UNREACHABLE,
  FAILED_PRECONDITION: ExitCode.INVALID,
  UNAVAILABLE: ExitCode.UNREACHABLE,
  INTEGRITY: ExitCode.INTERNAL,
  INTERNAL: ExitCode.INTERNAL,
};

export function exitCodeOf(code: ErrorCode): ExitCode {
  return exitCodeByErrorCode[code];
}

/** The exit code of a watch that saw the rollout end in `state`; undefined while it runs. */
export function exitCodeOfRolloutState(state: RolloutState): ExitCode | undefined {
  if (!isTerminalRolloutState(state)) return undefined;
  return state === 'SUCCEEDED' ? ExitCode.OK : ExitCode.ROLLOUT_NOT_SUCCEEDED;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  unexpected or internal error (also an integrity mismatch)
  2  usage error (unknown command or option, missing or malformed argument)
  3  not found
  4  unauthenticated or forbidden (missing, invalid or revoked key; role too low)
  5  conflict (the name or alias is taken, the state changed meanwhile)
  6  invalid argument, payload too large or failed precondition
  7  API unreachable or unavailable (connection refused, DNS, timeout, 503)
  8  a watched rollout ended without succeeding (rejected, rolled back, aborted, failed)
  130  interrupted (Ctrl-C) while watching; the rollout itself goes on`;
