import { FledgeError } from '@fledge/errors';

export const Role = {
  VIEWER: 'viewer',
  SCIENTIST: 'scientist',
  ENGINEER: 'engineer',
  ADMIN: 'admin',
  ALERTS: 'alerts',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** The ladder: each rung may do everything the rungs below it may. */
const rank: Record<Exclude<Role, 'alerts' | 'admin'>, number> = { viewer: 0, scientist: 1, engineer: 2 };

/**
 * viewer < scientist < engineer < admin, and beside the ladder `alerts`, which may only raise
 * alarms (webhooks, raiseAlarm) and read nothing: a key kept in a monitoring system's config can
 * roll a canary back, never promote one. Admin may do everything.
 */
export function roleAllows(held: Role, required: Role): boolean {
  if (held === 'admin') return true;
  if (held === 'alerts' || required === 'alerts' || required === 'admin') return held === required;
  return rank[held] >= rank[required];
}

export interface Actor {
  apiKeyId: string;
  name: string;
  role: Role;
}

/** Passes when the actor's role allows any of `required`. */
export function assertRole(actor: Actor | null, required: Role | readonly Role[], action: string): Actor {
  if (actor === null) throw new FledgeError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer …)');
  const anyOf = typeof required === 'string' ? [required] : required;
  if (!anyOf.some((role) => roleAllows(actor.role, role))) {
    throw new FledgeError(
      'FORBIDDEN',
      `${action} needs the ${anyOf.join(' or ')} role; key ${actor.name} has ${actor.role}`,
      { details: { required: anyOf.length === 1 ? anyOf[0] : anyOf, held: actor.role } },
    );
  }
  return actor;
}
