import { type Connection, type Page } from '../client/api.types.js';

/** The API serves at most this many items per page. */
export const MAX_PAGE_SIZE = 100;

export interface Collected<T> {
  items: T[];
  totalCount: number;
  hasMore: boolean;
}

/** Follows cursors until `limit` items are collected or the list ends. */
export async function collectPages<T>(
  fetchPage: (page: Page) => Promise<Connection<T>>,
  limit: number,
): Promise<Collected<T>> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const first = Math.min(MAX_PAGE_SIZE, limit - items.length);
    const page: Connection<T> = await fetchPage({ first, after });
    items.push(...page.edges.map((e) => e.node));
    const hasMore = page.pageInfo.hasNextPage;
    if (!hasMore || items.length >= limit || page.pageInfo.endCursor === null) {
      return { items, totalCount: page.totalCount, hasMore };
    }
    after = page.pageInfo.endCursor;
  }
}
