import { ModelDetailDocument, type ModelDetailQuery } from '@fledge/client';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { Badge } from '../components/Badge';
import { ErrorPanel, isNotFound, Loading, NotFound } from '../components/ErrorPanel';
import { JsonView } from '../components/JsonView';
import { Pager, useCursorPager } from '../components/Pager';
import { fmtBytes, fmtDateTime, fmtPercent } from '../format';

const VERSIONS_PAGE_SIZE = 10;

type Version = NonNullable<ModelDetailQuery['model']>['versions']['edges'][number]['node'];

export function ModelDetailPage() {
  const { name = '' } = useParams();
  const pager = useCursorPager(name);
  const [selected, setSelected] = useState<string[]>([]);
  const navigate = useNavigate();
  const query = useGqlQuery(
    ModelDetailDocument,
    { name, first: VERSIONS_PAGE_SIZE, after: pager.after },
    // Running evaluations update their progress.
    {
      placeholderData: (previous) => previous,
      refetchInterval: (q) =>
        q.state.data?.model?.versions.edges.some((e) =>
          e.node.evaluations.some((ev) => ev.status === 'RUNNING' || ev.status === 'PENDING'),
        )
          ? 2000
          : false,
    },
  );
  if (query.error && !query.data) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading what={`model ${name}`} />;
  const model = query.data.model;
  if (!model || isNotFound(query.error)) return <NotFound what={`Model ${name}`} />;

  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));

  return (
    <section aria-labelledby="model-title">
      <p className="crumbs">
        <Link to="/models">Models</Link> /
      </p>
      <div className="page-head">
        <h1 id="model-title">{model.name}</h1>
        <div className="compare-bar">
          <span className="muted small">{selected.length}/2 evaluations selected</span>
          <button
            type="button"
            disabled={selected.length !== 2}
            onClick={() => navigate(`/compare?a=${selected[0]}&b=${selected[1]}`)}
          >
            Compare selected evaluations
          </button>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Task</dt>
          <dd>{model.task.toLowerCase()}</dd>
        </div>
        <div>
          <dt>Modality</dt>
          <dd>{model.modality.toLowerCase()}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{model.owner}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{fmtDateTime(model.createdAt)}</dd>
        </div>
        <div>
          <dt>Aliases</dt>
          <dd>
            {model.aliases.length
              ? model.aliases.map((a) => (
                  <span key={a.name} className="chip">
                    {a.name} → v{a.version}
                  </span>
                ))
              : '—'}
          </dd>
        </div>
      </dl>
      {model.description && <p>{model.description}</p>}
      <h2>Versions</h2>
      {model.versions.edges.length === 0 && <p className="empty">No versions registered yet.</p>}
      {model.versions.edges.map(({ node }) => (
        <VersionCard key={node.id} version={node} selected={selected} onToggle={toggle} />
      ))}
      <Pager label="versions" pageSize={VERSIONS_PAGE_SIZE} connection={model.versions} pager={pager} />
    </section>
  );
}

function VersionCard({
  version,
  selected,
  onToggle,
}: {
  version: Version;
  selected: string[];
  onToggle: (id: string) => void;
}) {
  return (
    <article className="panel version" aria-labelledby={`version-${version.version}`}>
      <header className="version-head">
        <h3 id={`version-${version.version}`}>
          v{version.version} <Badge value={version.status} />
          {version.aliases.map((a) => (
            <span key={a} className="chip">
              {a}
            </span>
          ))}
        </h3>
        <span className="muted small">
          registered {fmtDateTime(version.createdAt)} by {version.createdBy}
        </span>
      </header>
      {version.description && <p>{version.description}</p>}
      <div className="grid-2">
        <div>
          <h4>Artifact</h4>
          <dl className="facts compact">
            <div>
              <dt>Format</dt>
              <dd>{version.format}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{fmtBytes(version.sizeBytes)}</dd>
            </div>
            <div>
              <dt>sha256</dt>
              <dd>
                <code className="hash" title={version.sha256}>
                  {version.sha256.slice(0, 16)}…
                </code>
              </dd>
            </div>
          </dl>
          <h4>Signature</h4>
          <table className="data compact">
            <thead>
              <tr>
                <th scope="col">Tensor</th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Shape</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...version.signature.inputs.map((t) => ['input', t] as const),
                ...version.signature.outputs.map((t) => ['output', t] as const),
              ].map(([kind, t]) => (
                <tr key={`${kind}-${t.name}`}>
                  <td>{kind}</td>
                  <td>{t.name}</td>
                  <td>{t.datatype}</td>
                  <td>[{t.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4>Lineage</h4>
          <dl className="facts compact">
            <div>
              <dt>Trained on</dt>
              <dd>
                {version.trainingDataset ? (
                  <Link to={`/datasets/${encodeURIComponent(version.trainingDataset.dataset.name)}`}>
                    {version.trainingDataset.dataset.name}@{version.trainingDataset.version}
                  </Link>
                ) : (
                  '—'
                )}
              </dd>
            </div>
            <div>
              <dt>Serving</dt>
              <dd>
                {version.endpoints.length
                  ? version.endpoints.map((p) => (
                      <span key={p.endpoint} className="chip">
                        <Link to={`/endpoints/${encodeURIComponent(p.endpoint)}`}>{p.endpoint}</Link> {p.role}{' '}
                        {p.weight}%
                      </span>
                    ))
                  : 'not served'}
              </dd>
            </div>
          </dl>
          <h4>Metadata</h4>
          <JsonView value={version.metadata} />
        </div>
      </div>
      <h4>Evaluations</h4>
      {version.evaluations.length === 0 ? (
        <p className="muted">Not evaluated yet.</p>
      ) : (
        <table className="data compact">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Dataset</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Created</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {version.evaluations.map((ev) => {
              const label = `v${version.version} on ${ev.datasetVersion.dataset.name}@${ev.datasetVersion.version}`;
              return (
                <tr key={ev.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select evaluation of ${label} for comparison`}
                      checked={selected.includes(ev.id)}
                      disabled={ev.status !== 'SUCCEEDED'}
                      onChange={() => onToggle(ev.id)}
                    />
                  </td>
                  <td>
                    {ev.datasetVersion.dataset.name}@{ev.datasetVersion.version}
                  </td>
                  <td>
                    <Badge value={ev.status} />
                    {ev.error && <span className="error-message small"> {ev.error}</span>}
                  </td>
                  <td>
                    {ev.rowsTotal ? (
                      <progress max={ev.rowsTotal} value={ev.rowsDone} aria-label={`Progress of ${label}`}>
                        {fmtPercent(ev.rowsDone / ev.rowsTotal)}
                      </progress>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{fmtDateTime(ev.createdAt)}</td>
                  <td>
                    <Link to={`/evaluations/${ev.id}`} aria-label={`Open evaluation of ${label}`}>
                      Open
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}
