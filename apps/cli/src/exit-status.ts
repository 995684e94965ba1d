/**
 * Ends a command with a given exit code and one line on stderr, for outcomes that are not API
 * errors (a watched rollout that rolled back, a watch stopped by Ctrl-C).
 */
export class ExitStatus extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitStatus';
  }
}
