import { AuditEventsDocument } from '@fledge/client';

import { useGqlQuery } from '../api/use-gql';
import { isAdmin, useViewer } from '../api/viewer';
import { ErrorPanel, Loading } from '../components/ErrorPanel';
import { FilterBar, useUrlFilters, type FilterField } from '../components/Filters';
import { JsonView } from '../components/JsonView';
import { Pager, useCursorPager } from '../components/Pager';
import { fmtDateTime } from '../format';

const PAGE_SIZE = 50;
const fields: FilterField[] = [
  { name: 'actor', label: 'Actor' },
  { name: 'subjectType', label: 'Subject type' },
  { name: 'subjectId', label: 'Subject id' },
];

/** The audit trail (admin keys only; the API refuses everyone else). */
export function AuditPage() {
  const viewer = useViewer();
  const [filters, setFilter] = useUrlFilters(fields);
  const pager = useCursorPager(JSON.stringify(filters));
  const role = viewer.data?.viewer.role;
  const query = useGqlQuery(
    AuditEventsDocument,
    {
      first: PAGE_SIZE,
      after: pager.after,
      actor: filters.actor || null,
      subjectType: filters.subjectType || null,
      subjectId: filters.subjectId || null,
    },
    { placeholderData: (p) => p, enabled: isAdmin(role) },
  );
  if (!viewer.data) return <Loading what="your role" />;
  if (!isAdmin(role)) {
    return (
      <section className="panel">
        <h1>Audit log</h1>
        <p>The audit log is for admin keys only.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <FilterBar fields={fields} values={filters} onChange={setFilter} />
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loading what="the audit log" />
      ) : query.data.auditEvents.totalCount === 0 ? (
        <p className="empty">No audit events match.</p>
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {query.data.auditEvents.edges.map(({ node: e }) => (
                <tr key={e.id}>
                  <td>{fmtDateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>
                    {e.subjectType} <code className="small">{e.subjectId}</code>
                  </td>
                  <td>
                    {e.before || e.after ? (
                      <details>
                        <summary>before / after</summary>
                        <JsonView value={{ before: e.before, after: e.after }} />
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="events" pageSize={PAGE_SIZE} connection={query.data.auditEvents} pager={pager} />
        </>
      )}
    </section>
  );
}
