import { describe, expect, it } from '@jest/globals';
import { FledgeError } from '@fledge/errors';

import { collectPages, type Connection, type Page } from './paginate.util.js';

/** A fake list of `total` numbers served in pages; refuses pages larger than `budget`. */
function list(total: number, budget = Number.POSITIVE_INFINITY) {
  const pages: Page[] = [];
  const fetchPage = async (page: Page): Promise<Connection<number>> => {
    pages.push(page);
    if (page.first! > budget) {
      throw new FledgeError('INVALID_ARGUMENT', 'too complex', { reason: 'QUERY_TOO_COMPLEX' });
    }
    const start = page.after === null || page.after === undefined ? 0 : Number(page.after) + 1;
    const nodes = Array.from({ length: Math.max(0, Math.min(page.first!, total - start)) }, (_, i) => start + i);
    return {
      edges: nodes.map((n) => ({ cursor: String(n), node: n })),
      pageInfo: { hasNextPage: start + nodes.length < total, endCursor: nodes.length ? String(nodes.at(-1)) : null },
      totalCount: total,
    };
  };
  return { pages, fetchPage };
}

describe(collectPages.name, () => {
  it('follows cursors to the end', async () => {
    const { pages, fetchPage } = list(60);
    const sut = await collectPages(fetchPage, Number.POSITIVE_INFINITY);
    expect(sut.items).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(sut).toMatchObject({ totalCount: 60, hasMore: false });
    expect(pages).toEqual([
      { first: 25, after: null },
      { first: 25, after: '24' },
      { first: 25, after: '49' },
    ]);
  });

  it('stops at the limit and says more exist', async () => {
    const { pages, fetchPage } = list(60);
    const sut = await collectPages(fetchPage, 30);
    expect(sut.items).toHaveLength(30);
    expect(sut.hasMore).toBe(true);
    expect(pages.map((p) => p.first)).toEqual([25, 5]);
  });

  it('asks for smaller pages when the API finds a page too complex', async () => {
    const { pages, fetchPage } = list(20, 7);
    const sut = await collectPages(fetchPage, Number.POSITIVE_INFINITY);
    expect(sut.items).toHaveLength(20);
    expect(pages.slice(0, 4).map((p) => p.first)).toEqual([25, 13, 7, 7]);
  });

  it('passes other errors through', async () => {
    await expect(
      collectPages(async () => {
        throw new FledgeError('FORBIDDEN', 'no');
      }, 10),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
