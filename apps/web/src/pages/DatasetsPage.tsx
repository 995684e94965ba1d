import { DatasetDetailDocument, DatasetsPageDocument } from '@fledge/client';
import { Link, useParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { Badge } from '../components/Badge';
import { ErrorPanel, Loading, NotFound } from '../components/ErrorPanel';
import { JsonView } from '../components/JsonView';
import { Pager, useCursorPager } from '../components/Pager';
import { fmtBytes, fmtDateTime, isRecord } from '../format';

const PAGE_SIZE = 25;

export function DatasetsPage() {
  const pager = useCursorPager('datasets');
  const query = useGqlQuery(
    DatasetsPageDocument,
    { first: PAGE_SIZE, after: pager.after },
    { placeholderData: (p) => p },
  );
  return (
    <section aria-labelledby="datasets-title">
      <h1 id="datasets-title">Datasets</h1>
      {query.error && !query.data ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loading what="datasets" />
      ) : query.data.datasets.totalCount === 0 ? (
        <p className="empty">No datasets registered yet.</p>
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Versions</th>
                <th scope="col">Latest</th>
                <th scope="col">Rows (latest)</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {query.data.datasets.edges.map(({ node }) => {
                const latest = node.versions.edges[0]?.node;
                return (
                  <tr key={node.id}>
                    <td>
                      <Link to={`/datasets/${encodeURIComponent(node.name)}`}>{node.name}</Link>
                    </td>
                    <td className="num">{node.versions.totalCount}</td>
                    <td>{latest ? `v${latest.version}` : '—'}</td>
                    <td className="num">{latest ? latest.rowCount.toLocaleString() : '—'}</td>
                    <td>{node.owner}</td>
                    <td>{fmtDateTime(node.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager label="datasets" pageSize={PAGE_SIZE} connection={query.data.datasets} pager={pager} />
        </>
      )}
    </section>
  );
}

export function DatasetPage() {
  const { name = '' } = useParams();
  const pager = useCursorPager(name);
  const query = useGqlQuery(
    DatasetDetailDocument,
    { name, first: 10, after: pager.after },
    { placeholderData: (p) => p },
  );
  if (query.error && !query.data) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading what={`dataset ${name}`} />;
  const dataset = query.data.dataset;
  if (!dataset) return <NotFound what={`Dataset ${name}`} />;
  return (
    <section aria-labelledby="dataset-title">
      <p className="crumbs">
        <Link to="/datasets">Datasets</Link> /
      </p>
      <h1 id="dataset-title">{dataset.name}</h1>
      {dataset.description && <p>{dataset.description}</p>}
      <p className="muted">
        Owner {dataset.owner} · created {fmtDateTime(dataset.createdAt)} · {dataset.versions.totalCount} versions
      </p>
      {dataset.versions.edges.map(({ node: v }) => (
        <article key={v.id} className="panel" aria-labelledby={`dataset-v${v.version}`}>
          <h2 id={`dataset-v${v.version}`}>v{v.version}</h2>
          <dl className="facts">
            <div>
              <dt>Rows</dt>
              <dd>{v.rowCount.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Format</dt>
              <dd>
                {v.format.toLowerCase()}
                {v.compression !== 'NONE' ? ` (${v.compression.toLowerCase()})` : ''}
              </dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{fmtBytes(v.sizeBytes)}</dd>
            </div>
            <div>
              <dt>sha256</dt>
              <dd>
                <code className="hash">{v.sha256}</code>
              </dd>
            </div>
            <div>
              <dt>Stored at</dt>
              <dd>
                <code>{v.uri}</code>
              </dd>
            </div>
            <div>
              <dt>Registered</dt>
              <dd>
                {fmtDateTime(v.createdAt)} by {v.createdBy}
              </dd>
            </div>
          </dl>
          <h3>Schema</h3>
          <dl className="facts compact">
            <div>
              <dt>Features</dt>
              <dd>{v.featureColumns.join(', ')}</dd>
            </div>
            <div>
              <dt>Label</dt>
              <dd>{v.labelColumn}</dd>
            </div>
            <div>
              <dt>Classes seen</dt>
              <dd>{v.labels.length ? v.labels.join(', ') : '—'}</dd>
            </div>
          </dl>
          <h3>Where used</h3>
          {v.evaluations.length === 0 && v.trainedModelVersions.length === 0 ? (
            <p className="muted">No evaluation or model version uses it yet.</p>
          ) : (
            <ul className="used-by">
              {v.evaluations.map((e) => (
                <li key={e.id}>
                  <Link to={`/evaluations/${encodeURIComponent(e.id)}`}>
                    Evaluation of {e.modelVersion.model.name} v{e.modelVersion.version}
                  </Link>{' '}
                  <Badge value={e.status} /> <span className="muted small">{fmtDateTime(e.createdAt)}</span>
                </li>
              ))}
              {v.trainedModelVersions.map((m) => (
                <li key={`${m.model.name}@${m.version}`}>
                  <Link to={`/models/${encodeURIComponent(m.model.name)}`}>
                    {m.model.name} v{m.version}
                  </Link>{' '}
                  trained on it <span className="muted small">{fmtDateTime(m.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
          {isRecord(v.metadata) && Object.keys(v.metadata).length > 0 && (
            <>
              <h3>Metadata</h3>
              <JsonView value={v.metadata} />
            </>
          )}
        </article>
      ))}
      <Pager label="versions" pageSize={10} connection={dataset.versions} pager={pager} />
    </section>
  );
}
