import { FledgeError } from '@fledge/errors';

const retold = (error: FledgeError, message: string) =>
  new FledgeError(error.code, message, { reason: error.reason, details: error.details, cause: error });

/**
 * An API error retold in the CLI's terms: the command the user ran rather than the API operation
 * it called (`createUpload needs the scientist role` → `fledge model register needs …`). (The
 * API's own refusals already name the CLI command that gets a user unstuck, e.g. `fledge rollout
 * abort <endpoint>` when another rollout holds the endpoint.)
 */
export function inCliTerms(error: FledgeError, command: string): FledgeError {
  if (error.code === 'FORBIDDEN') {
    const match = /^\S+ (needs the \w+ role.*)$/s.exec(error.message);
    return match ? retold(error, `${command} ${match[1]}`) : error;
  }
  return error;
}
