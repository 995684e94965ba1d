import { type TypedDocumentString } from '@fledge/client';
import { useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query';

import { client } from './client';

type Request = <R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  options?: { signal?: AbortSignal },
) => Promise<R>;
const request = client.request.bind(client) as Request;

export function operationName(document: { toString(): string }): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document.toString())?.[1] ?? 'anonymous';
}

export type GqlQueryOptions<R> = Omit<UseQueryOptions<R, Error, R, readonly unknown[]>, 'queryKey' | 'queryFn'> & {
  /** Called with the data as it arrives, before React renders it (performance marks). */
  onData?: (data: R) => void;
};

/** A typed query, keyed by operation name and variables; cancelled when the page leaves. */
export function useGqlQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, options: GqlQueryOptions<R> = {}) {
  const { onData, ...rest } = options;
  return useQuery({
    queryKey: [operationName(document), variables] as const,
    queryFn: async ({ signal }) => {
      const data = await request(document, variables, { signal });
      onData?.(data);
      return data;
    },
    ...rest,
  });
}

export function useGqlMutation<R, V>(document: TypedDocumentString<R, V>, onSuccess?: (data: R) => void) {
  return useMutation({ mutationFn: (variables: V) => request(document, variables), onSuccess });
}
