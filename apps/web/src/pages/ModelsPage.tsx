import { ModelsListDocument, type ModelsListQuery } from '@fledge/client';
import { useEffect, useLayoutEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { Badge } from '../components/Badge';
import { ErrorPanel, Loading } from '../components/ErrorPanel';
import { Pager, useCursorPager, type CursorPager } from '../components/Pager';
import { fmtDateTime } from '../format';

export const MODELS_PAGE_SIZE = 50;

// Performance marks read by the browser tests: data arrived → the page of rows committed to the
// DOM (`render`) → the next frame after it (`paint`).
const DATA_MARK = 'fledge:models:data';
const RENDER_MEASURE = 'fledge:models:render';
const PAINT_MEASURE = 'fledge:models:paint';

export function ModelsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [input, setInput] = useState(search);
  const pager = useCursorPager(search);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (input.trim() !== search) setParams(input.trim() ? { q: input.trim() } : {}, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [input, search, setParams]);

  const query = useGqlQuery(
    ModelsListDocument,
    { first: MODELS_PAGE_SIZE, after: pager.after, filter: search ? { nameContains: search } : null },
    { placeholderData: (previous) => previous, onData: () => performance.mark(DATA_MARK) },
  );

  return (
    <section aria-labelledby="models-title">
      <div className="page-head">
        <h1 id="models-title">Models</h1>
        <div className="search">
          <label htmlFor="model-search">Search models</label>
          <input
            id="model-search"
            type="search"
            value={input}
            placeholder="name contains…"
            onChange={(e) => setInput(e.target.value)}
          />
        </div>
      </div>
      {query.error && !query.data ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loading what="models" />
      ) : (
        <ModelsTable models={query.data.models} pager={pager} />
      )}
    </section>
  );
}

function ModelsTable({ models, pager }: { models: ModelsListQuery['models']; pager: CursorPager }) {
  useLayoutEffect(() => {
    if (performance.getEntriesByName(DATA_MARK, 'mark').length === 0) return;
    const detail = { rows: models.edges.length };
    performance.measure(RENDER_MEASURE, { start: DATA_MARK, detail });
    const frame = requestAnimationFrame(() => {
      performance.measure(PAINT_MEASURE, { start: DATA_MARK, detail });
      performance.clearMarks(DATA_MARK);
    });
    return () => cancelAnimationFrame(frame);
  }, [models]);

  if (models.totalCount === 0) return <p className="empty">No models match.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Task</th>
              <th scope="col">Modality</th>
              <th scope="col">Latest version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Owner</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {models.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link to={`/models/${encodeURIComponent(node.name)}`}>{node.name}</Link>
                </td>
                <td>{node.task.toLowerCase()}</td>
                <td>{node.modality.toLowerCase()}</td>
                <td>
                  {node.latestVersion ? (
                    <>
                      v{node.latestVersion.version} <Badge value={node.latestVersion.status} />
                    </>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td>
                  {node.aliases.length ? (
                    node.aliases.map((a) => (
                      <span key={a.name} className="chip">
                        {a.name} → v{a.version}
                      </span>
                    ))
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{node.owner}</td>
                <td>{fmtDateTime(node.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager label="models" pageSize={MODELS_PAGE_SIZE} connection={models} pager={pager} />
    </>
  );
}
