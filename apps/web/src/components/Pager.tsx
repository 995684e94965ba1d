import { useCallback, useState } from 'react';

/** Forward cursors with a stack for going back: the API pages with `first`/`after`. */
export function useCursorPager(resetKey: unknown) {
  const [state, setState] = useState<{ key: unknown; stack: (string | null)[] }>({ key: resetKey, stack: [null] });
  const stack = state.key === resetKey ? state.stack : [null];
  if (state.key !== resetKey) setState({ key: resetKey, stack });
  const after = stack[stack.length - 1];
  const next = useCallback((cursor: string | null | undefined) => {
    if (cursor) setState((s) => ({ ...s, stack: [...s.stack, cursor] }));
  }, []);
  const previous = useCallback(
    () => setState((s) => ({ ...s, stack: s.stack.length > 1 ? s.stack.slice(0, -1) : s.stack })),
    [],
  );
  return { after, pageIndex: stack.length - 1, next, previous };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

/** Previous / next over a GraphQL connection, with "first–last of total". */
export function Pager({
  label,
  pageSize,
  connection,
  pager,
}: {
  label: string;
  pageSize: number;
  connection: {
    totalCount: number;
    edges: readonly unknown[];
    pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  };
  pager: CursorPager;
}) {
  const { pageIndex } = pager;
  const first = connection.totalCount === 0 ? 0 : pageIndex * pageSize + 1;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={pager.previous} disabled={pageIndex === 0}>
        ← Previous
      </button>
      <span aria-live="polite">
        {first}–{pageIndex * pageSize + connection.edges.length} of {connection.totalCount.toLocaleString()} {label}
      </span>
      <button
        type="button"
        onClick={() => pager.next(connection.pageInfo.endCursor)}
        disabled={!connection.pageInfo.hasNextPage}
      >
        Next →
      </button>
    </nav>
  );
}
