import { FledgeError } from '@fledge/errors';

const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Names of models, datasets, endpoints and aliases: lower-case letters, digits and inner dashes,
 * 1..63 characters (DNS-label rules), so they are safe in URLs, metric labels and workflow ids.
 */
export function assertResourceName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw new FledgeError(
      'INVALID_ARGUMENT',
      `${kind} name ${JSON.stringify(name)} is invalid: use 1-63 lower-case letters, digits or inner dashes`,
      { reason: 'NAME_INVALID', details: { field: 'name', kind } },
    );
  }
  return name;
}

/** `<model>@<version>` or `<model>:<alias>` references used by the CLI and error messages. */
export function formatVersionRef(model: string, version: number): string {
  return `${model}@${version}`;
}
