import { ViewerDocument, type Role } from '@fledge/client';

import { useGqlQuery } from './use-gql';

/** The signed-in key's name and role; pages show actions only to roles that may use them. */
export function useViewer() {
  return useGqlQuery(ViewerDocument, {}, { staleTime: 30_000, refetchInterval: 60_000 });
}

// The API checks every role again; the console only hides what a role may not do.
export const canOperate = (role: Role | undefined): boolean => role === 'ENGINEER' || role === 'ADMIN';
export const isAdmin = (role: Role | undefined): boolean => role === 'ADMIN';
