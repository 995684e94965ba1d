import { FledgeError } from '@fledge/errors';

export interface ConfigIssue {
  /** The environment variable at fault, e.g. `FLEDGE_API_PORT`. */
  variable: string;
  /** Why it is wrong; never contains the value itself (it may be a secret). */
  message: string;
}

/** A process's environment failed validation; the message names every bad variable. */
export class ConfigError extends FledgeError {
  readonly issues: readonly ConfigIssue[];

  constructor(processName: string, issues: readonly ConfigIssue[]) {
    super(
      'INVALID_ARGUMENT',
      [
        `Invalid configuration for fledge ${processName}:`,
        ...issues.map((issue) => `  - ${issue.variable}: ${issue.message}`),
      ].join('\n'),
      { reason: 'CONFIG_INVALID', details: { variables: issues.map((issue) => issue.variable) } },
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
