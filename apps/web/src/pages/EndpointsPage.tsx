import {
  EndpointDetailDocument,
  EndpointLiveStatsDocument,
  EndpointsPageDocument,
  type EndpointLiveStatsQuery,
} from '@fledge/client';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { Badge } from '../components/Badge';
import { ErrorPanel, Loading, NotFound } from '../components/ErrorPanel';
import { JsonView } from '../components/JsonView';
import { Pager, useCursorPager } from '../components/Pager';
import { TimeSeriesChart } from '../components/TimeSeriesChart';
import { TrafficSplit } from '../components/TrafficSplit';
import { fmtDateTime, fmtMs, fmtPercent } from '../format';

const PAGE_SIZE = 25;

export function EndpointsPage() {
  const pager = useCursorPager('endpoints');
  const query = useGqlQuery(
    EndpointsPageDocument,
    { first: PAGE_SIZE, after: pager.after },
    { placeholderData: (p) => p, refetchInterval: 5000 },
  );
  return (
    <section aria-labelledby="endpoints-title">
      <h1 id="endpoints-title">Endpoints</h1>
      {query.error && !query.data ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loading what="endpoints" />
      ) : query.data.endpoints.totalCount === 0 ? (
        <p className="empty">No endpoints yet.</p>
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Backend</th>
                <th scope="col">Traffic</th>
                <th scope="col">Active rollout</th>
              </tr>
            </thead>
            <tbody>
              {query.data.endpoints.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <Link to={`/endpoints/${encodeURIComponent(node.name)}`}>{node.name}</Link>
                  </td>
                  <td>{node.backend.toLowerCase()}</td>
                  <td>
                    {node.variants.length ? (
                      node.variants
                        .map((v) => `${v.name} ${v.role === 'shadow' ? 'shadow' : `${v.weight}%`}`)
                        .join(' · ')
                    ) : (
                      <span className="muted">serves nothing</span>
                    )}
                  </td>
                  <td>
                    {node.activeRollout ? (
                      <Link to={`/rollouts/${node.activeRollout.id}`}>
                        <Badge value={node.activeRollout.state} />
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="endpoints" pageSize={PAGE_SIZE} connection={query.data.endpoints} pager={pager} />
        </>
      )}
    </section>
  );
}

export function EndpointPage() {
  const { name = '' } = useParams();
  const query = useGqlQuery(EndpointDetailDocument, { name }, { refetchInterval: 3000 });
  if (query.error && !query.data) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading what={`endpoint ${name}`} />;
  const endpoint = query.data.endpoint;
  if (!endpoint) return <NotFound what={`Endpoint ${name}`} />;
  const active = endpoint.activeRollout;
  return (
    <section aria-labelledby="endpoint-title">
      <p className="crumbs">
        <Link to="/endpoints">Endpoints</Link> /
      </p>
      <h1 id="endpoint-title">{endpoint.name}</h1>
      <dl className="facts">
        <div>
          <dt>Backend</dt>
          <dd>{endpoint.backend.toLowerCase()}</dd>
        </div>
        <div>
          <dt>Inference URL</dt>
          <dd>{endpoint.inferenceUrl ? <code>{endpoint.inferenceUrl}</code> : '—'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{fmtDateTime(endpoint.createdAt)}</dd>
        </div>
      </dl>
      <div className="grid-2">
        <div className="panel">
          <h2>Traffic split</h2>
          <TrafficSplit variants={endpoint.variants} />
        </div>
        <div className="panel">
          <h2>Active rollout</h2>
          {active ? (
            <p>
              <Link to={`/rollouts/${active.id}`}>
                {active.candidate.model.name} v{active.candidate.version}
              </Link>{' '}
              <Badge value={active.state} /> started {fmtDateTime(active.createdAt)} by {active.createdBy}
            </p>
          ) : (
            <p className="muted">None in progress.</p>
          )}
        </div>
      </div>
      <LiveCharts endpoint={endpoint.name} />
      <div className="grid-2">
        <div>
          <h2>Rollouts</h2>
          {query.data.rollouts.edges.length === 0 ? (
            <p className="muted">No rollouts yet.</p>
          ) : (
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">Candidate</th>
                  <th scope="col">State</th>
                  <th scope="col">Started</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {query.data.rollouts.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      <Link to={`/rollouts/${node.id}`}>
                        {node.candidate.model.name} v{node.candidate.version}
                      </Link>
                    </td>
                    <td>
                      <Badge value={node.state} />
                    </td>
                    <td>{fmtDateTime(node.createdAt)}</td>
                    <td>{node.createdBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h2>Recent alarms</h2>
          {endpoint.alarms.length === 0 ? (
            <p className="muted">No alarms.</p>
          ) : (
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">Alarm</th>
                  <th scope="col">State</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {endpoint.alarms.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {a.name} <span className="muted small">({a.source})</span>
                    </td>
                    <td>
                      <Badge value={a.state} />
                    </td>
                    <td>{fmtDateTime(a.receivedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <details>
        <summary>Backend options</summary>
        <JsonView value={endpoint.options} />
      </details>
    </section>
  );
}

type Stats = NonNullable<EndpointLiveStatsQuery['endpoint']>['liveStats'];
interface Sample {
  t: number;
  variants: Stats['variants'];
}

const LIVE_WINDOW_SECONDS = 10;
const LIVE_POLL_MS = 2000;
const LIVE_HISTORY_SECONDS = 5 * 60;

/** Per-variant requests/s, p50/p99 and error rate: polled from the API, accumulated here. */
function LiveCharts({ endpoint }: { endpoint: string }) {
  const [samples, setSamples] = useState<Sample[]>([]);
  const query = useGqlQuery(
    EndpointLiveStatsDocument,
    { name: endpoint, windowSeconds: LIVE_WINDOW_SECONDS },
    {
      refetchInterval: LIVE_POLL_MS,
      retry: 1,
      // Each answer is one point of the series, kept for the last few minutes.
      onData: (data) => {
        const stats = data.endpoint?.liveStats;
        if (!stats) return;
        const t = Date.parse(stats.at) / 1000;
        setSamples((s) =>
          s.length && s[s.length - 1].t >= t
            ? s
            : [...s.filter((x) => x.t > t - LIVE_HISTORY_SECONDS), { t, variants: stats.variants }],
        );
      },
    },
  );
  const stats = query.data?.endpoint?.liveStats;

  const names = [...new Set(samples.flatMap((s) => s.variants.map((v) => v.variant)))];
  const x = samples.map((s) => s.t);
  const series = (pick: (v: Stats['variants'][number]) => number, suffix = '') =>
    names.map((n) => ({
      label: `${n}${suffix}`,
      values: samples.map((s) => {
        const v = s.variants.find((x) => x.variant === n);
        return v ? pick(v) : null;
      }),
    }));
  const latest = stats?.variants ?? [];

  return (
    <section className="panel" aria-labelledby="live-title">
      <h2 id="live-title">
        Live traffic (last {LIVE_HISTORY_SECONDS / 60} minutes, {LIVE_WINDOW_SECONDS} s windows)
      </h2>
      {query.error && <ErrorPanel error={query.error} title="Live statistics are unavailable" />}
      <div className="charts">
        <TimeSeriesChart title="Requests per second" unit="req/s" x={x} series={series((v) => v.requestsPerSecond)} />
        <TimeSeriesChart
          title="Latency p50 and p99"
          unit="ms"
          x={x}
          series={[...series((v) => v.p50Ms, ' p50'), ...series((v) => v.p99Ms, ' p99')]}
        />
        <TimeSeriesChart title="Error rate" unit="%" x={x} series={series((v) => v.errorRate * 100)} />
      </div>
      {latest.length > 0 && (
        <table className="data compact">
          <caption>Latest window</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Role</th>
              <th scope="col">req/s</th>
              <th scope="col">p50</th>
              <th scope="col">p99</th>
              <th scope="col">Errors</th>
              <th scope="col">Client errors</th>
              <th scope="col">Agreement</th>
            </tr>
          </thead>
          <tbody>
            {latest.map((v) => (
              <tr key={v.variant}>
                <th scope="row">{v.variant}</th>
                <td>{v.role}</td>
                <td className="num">{v.requestsPerSecond.toFixed(1)}</td>
                <td className="num">{fmtMs(v.p50Ms)}</td>
                <td className="num">{fmtMs(v.p99Ms)}</td>
                <td className="num">
                  {v.errors} ({fmtPercent(v.errorRate, 2)})
                </td>
                <td className="num">{v.clientErrors}</td>
                <td className="num">{v.role === 'shadow' ? fmtPercent(v.agreement) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
