import { FledgeError } from '@fledge/errors';

const retold = (error: FledgeError, message: string) =>
  new FledgeError(error.code, message, { reason: error.reason, details: error.details, cause: error });

/**
 * An API error retold in the CLI's terms: the command the user ran rather than the API operation
 * it called (`createUpload needs the scientist role` → `fledge model register needs …`), and the
 * commands that get them unstuck.
 */
export function inCliTerms(error: FledgeError, command: string): FledgeError {
  if (error.code === 'FORBIDDEN') {
    const match = /^\S+ (needs the \w+ role.*)$/s.exec(error.message);
    return match ? retold(error, `${command} ${match[1]}`) : error;
  }
  if (error.reason === 'ENDPOINT_MID_CHANGE') {
    const { endpoint, split, activeRollout } = error.details as {
      endpoint?: string;
      split?: string;
      activeRollout?: { id: string; state: string } | null;
    };
    if (!endpoint || !split) return error;
    return retold(
      error,
      `endpoint ${endpoint} is between versions (${split}): ` +
        (activeRollout
          ? `rollout ${activeRollout.id} (${activeRollout.state.toLowerCase()}) is changing it; follow it with ` +
            `\`fledge rollout watch ${endpoint}\` or stop it with \`fledge rollout abort ${endpoint}\``
          : 'no rollout is changing it'),
    );
  }
  return error;
}
