import { FledgeError } from '@fledge/errors';

/** A lookup the API answers with null when nothing has that name: NOT_FOUND in the CLI's words. */
export function required<T>(value: T | null | undefined, kind: 'model' | 'dataset' | 'endpoint', name: string): T {
  if (value !== null && value !== undefined) return value;
  throw new FledgeError('NOT_FOUND', `${kind} ${name} does not exist`, {
    reason: `${kind.toUpperCase()}_NOT_FOUND`,
    details: { name },
  });
}
