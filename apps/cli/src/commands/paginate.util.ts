import { FledgeError } from '@fledge/errors';

/** What a list query takes: a page size and the cursor of the previous page. */
export interface Page {
  first: number;
  after: string | null;
}

/** The part of a GraphQL connection that paging reads. */
export interface Connection<T> {
  edges: readonly { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount: number;
}

/**
 * Items per request. The API prices a page by its size times the fields selected and refuses
 * costly queries (QUERY_TOO_COMPLEX); 25 rich items stay well inside its default budget.
 */
export const PAGE_SIZE = 25;

export interface Collected<T> {
  items: T[];
  totalCount: number;
  hasMore: boolean;
}

const tooComplex = (error: unknown) =>
  FledgeError.is(error, 'INVALID_ARGUMENT') && error.reason === 'QUERY_TOO_COMPLEX';

/**
 * Follows cursors until `limit` items are collected or the list ends. A server configured with a
 * smaller complexity budget gets smaller pages rather than a failure.
 */
export async function collectPages<T>(
  fetchPage: (page: Page) => Promise<Connection<T>>,
  limit: number,
  pageSize = PAGE_SIZE,
): Promise<Collected<T>> {
  const items: T[] = [];
  let after: string | null = null;
  let size = pageSize;
  for (;;) {
    const first = Math.min(size, limit - items.length);
    let page: Connection<T>;
    try {
      page = await fetchPage({ first, after });
    } catch (error) {
      if (tooComplex(error) && first > 1) {
        size = Math.ceil(first / 2);
        continue;
      }
      throw error;
    }
    items.push(...page.edges.map((e) => e.node));
    const hasMore = page.pageInfo.hasNextPage;
    if (!hasMore || items.length >= limit || !page.pageInfo.endCursor) {
      return { items, totalCount: page.totalCount, hasMore };
    }
    after = page.pageInfo.endCursor;
  }
}
