import { AlarmsDocument, type AlarmState } from '@fledge/client';
import { Link } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { Badge } from '../components/Badge';
import { ErrorPanel, Loading } from '../components/ErrorPanel';
import { FilterBar, useUrlFilters, type FilterField } from '../components/Filters';
import { Pager, useCursorPager } from '../components/Pager';
import { fmtDateTime, isRecord } from '../format';

const PAGE_SIZE = 50;
const fields: FilterField[] = [
  { name: 'endpoint', label: 'Endpoint' },
  {
    name: 'state',
    label: 'State',
    options: [
      { value: 'FIRING', label: 'firing' },
      { value: 'RESOLVED', label: 'resolved' },
    ],
  },
  { name: 'source', label: 'Source' },
];

export function AlarmsPage() {
  const [filters, setFilter] = useUrlFilters(fields);
  const pager = useCursorPager(JSON.stringify(filters));
  const query = useGqlQuery(
    AlarmsDocument,
    {
      first: PAGE_SIZE,
      after: pager.after,
      endpoint: filters.endpoint || null,
      state: (filters.state || null) as AlarmState | null,
      source: filters.source || null,
    },
    { placeholderData: (p) => p, refetchInterval: 5000 },
  );
  return (
    <section aria-labelledby="alarms-title">
      <h1 id="alarms-title">Alarms</h1>
      <FilterBar fields={fields} values={filters} onChange={setFilter} />
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loading what="alarms" />
      ) : query.data.alarms.totalCount === 0 ? (
        <p className="empty">No alarms match.</p>
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Alarm</th>
                <th scope="col">Source</th>
                <th scope="col">State</th>
                <th scope="col">Summary</th>
                <th scope="col">Rollout</th>
              </tr>
            </thead>
            <tbody>
              {query.data.alarms.edges.map(({ node: a }) => (
                <tr key={a.id}>
                  <td>{fmtDateTime(a.receivedAt)}</td>
                  <td>
                    <Link to={`/endpoints/${encodeURIComponent(a.endpoint.name)}`}>{a.endpoint.name}</Link>
                  </td>
                  <td>{a.name}</td>
                  <td>{a.source}</td>
                  <td>
                    <Badge value={a.state} />
                  </td>
                  <td>{isRecord(a.payload) && typeof a.payload.summary === 'string' ? a.payload.summary : '—'}</td>
                  <td>{a.rolloutId ? <Link to={`/rollouts/${a.rolloutId}`}>acted on a rollout</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="alarms" pageSize={PAGE_SIZE} connection={query.data.alarms} pager={pager} />
        </>
      )}
    </section>
  );
}
