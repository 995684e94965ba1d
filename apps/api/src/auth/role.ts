import { FledgeError } from '@fledge/errors';

export const Role = { VIEWER: 'viewer', SCIENTIST: 'scientist', ENGINEER: 'engineer', ADMIN: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

const rank: Record<Role, number> = { viewer: 0, scientist: 1, engineer: 2, admin: 3 };

/** Roles are ordered: each one may do everything the roles below it may. */
export function roleAllows(held: Role, required: Role): boolean {
  return rank[held] >= rank[required];
}

export interface Actor {
  apiKeyId: string;
  name: string;
  role: Role;
}

export function assertRole(actor: Actor | null, required: Role, action: string): Actor {
  if (actor === null) throw new FledgeError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer …)');
  if (!roleAllows(actor.role, required)) {
    throw new FledgeError('FORBIDDEN', `${action} needs the ${required} role; key ${actor.name} has ${actor.role}`, {
      details: { required, held: actor.role },
    });
  }
  return actor;
}
