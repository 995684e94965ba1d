import {
  AbortRolloutDocument,
  ApproveRolloutDocument,
  PauseRolloutDocument,
  ResumeRolloutDocument,
  readRolloutEvents,
  RolloutDetailDocument,
  type RolloutDetailQuery,
  type RolloutEventView,
} from '@fledge/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { client } from '../api/client';
import { operationName, useGqlMutation, useGqlQuery } from '../api/use-gql';
import { canOperate, useViewer } from '../api/viewer';
import { Badge } from '../components/Badge';
import { ErrorPanel, isNotFound, Loading, NotFound } from '../components/ErrorPanel';
import { JsonView } from '../components/JsonView';
import { TimeSeriesChart } from '../components/TimeSeriesChart';
import { TrafficSplit } from '../components/TrafficSplit';
import { fmtDateTime, fmtDuration, fmtNumber, fmtTime } from '../format';
import {
  gateRules,
  isTerminal,
  lastVariants,
  signalsOf,
  sloCharts,
  stagesOf,
  summarizeEvent,
  weightChart,
} from '../rollout/rollout-view';

type Rollout = RolloutDetailQuery['rollout'] & { events: RolloutEventView[] };

/** Polled while the rollout runs: a new event shows within a second or two, without a reload. */
const POLL_MS = 1000;

export function RolloutPage() {
  const { id = '' } = useParams();
  const query = useGqlQuery(
    RolloutDetailDocument,
    { id },
    { refetchInterval: (q) => (q.state.data && isTerminal(q.state.data.rollout.state) ? false : POLL_MS) },
  );
  const terminal = query.data !== undefined && isTerminal(query.data.rollout.state);
  const events = useRolloutEvents(id, terminal);
  if (isNotFound(query.error) || isNotFound(events.error)) {
    return (
      <NotFound
        what="Rollout"
        detail={`There is no rollout ${id}: it never existed or it was deleted with its endpoint.`}
      />
    );
  }
  const error = query.error ?? events.error;
  if (error && !(query.data && events.data)) {
    return <ErrorPanel error={error} onRetry={() => void Promise.all([query.refetch(), events.refetch()])} />;
  }
  if (!query.data || !events.data) return <Loading what="the rollout" />;
  return <RolloutView rollout={{ ...query.data.rollout, events: events.data }} />;
}

/**
 * The rollout's events, read page by page and then polled for what is new after the last cursor
 * (never the whole list again) until the rollout has ended; one last read once it has.
 */
function useRolloutEvents(id: string, terminal: boolean) {
  const read = useRef<{ id: string; events: RolloutEventView[]; cursor: string | null }>({
    id,
    events: [],
    cursor: null,
  });
  const query = useQuery({
    queryKey: ['RolloutEventsPage', id],
    queryFn: async ({ signal }) => {
      const from = read.current.id === id ? read.current : { id, events: [], cursor: null };
      const page = await readRolloutEvents(client, id, { after: from.cursor, signal });
      read.current = { id, events: [...from.events, ...page.events], cursor: page.cursor };
      return read.current.events;
    },
    refetchInterval: terminal ? false : POLL_MS,
  });
  const { refetch } = query;
  useEffect(() => {
    // The rollout.finished event may be recorded just after the state the detail query saw.
    if (terminal) void refetch();
  }, [terminal, refetch]);
  return query;
}

function RolloutView({ rollout }: { rollout: Rollout }) {
  const stages = stagesOf(rollout);
  const terminal = isTerminal(rollout.state);
  const until = rollout.finishedAt ?? new Date().toISOString();
  const weights = weightChart(rollout.events, until);
  const slo = sloCharts(rollout.events);
  const signals = signalsOf(rollout.events);
  const gate = gateRules(rollout.events);
  const candidate = `${rollout.candidate.model.name} v${rollout.candidate.version}`;
  return (
    <section aria-labelledby="rollout-title">
      <p className="crumbs">
        <Link to="/endpoints">Endpoints</Link> /{' '}
        <Link to={`/endpoints/${encodeURIComponent(rollout.endpoint.name)}`}>{rollout.endpoint.name}</Link> /
      </p>
      <div className="page-head">
        <h1 id="rollout-title">
          Rollout of {candidate} to {rollout.endpoint.name}
        </h1>
        <p className="rollout-state" aria-live="polite">
          <span className="visually-hidden">State: </span>
          <Badge value={rollout.state} />
          {rollout.live?.paused && <span className="badge badge-warn">PAUSED</span>}
          {rollout.live?.awaitingApproval && <span className="badge badge-warn">AWAITING APPROVAL</span>}
        </p>
      </div>
      <dl className="facts">
        <div>
          <dt>Candidate</dt>
          <dd>
            <Link to={`/models/${encodeURIComponent(rollout.candidate.model.name)}`}>{candidate}</Link>
          </dd>
        </div>
        <div>
          <dt>Baseline</dt>
          <dd>
            {rollout.baseline ? `${rollout.baseline.model.name} v${rollout.baseline.version}` : 'none (first deploy)'}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            {fmtDateTime(rollout.createdAt)} by {rollout.createdBy}
          </dd>
        </div>
        <div>
          <dt>{terminal ? 'Took' : 'Running for'}</dt>
          <dd>{fmtDuration(rollout.startedAt ?? rollout.createdAt, rollout.finishedAt)}</dd>
        </div>
        {rollout.reason && (
          <div className="wide">
            <dt>Reason</dt>
            <dd className="reason">{rollout.reason}</dd>
          </div>
        )}
      </dl>
      {!terminal && <RolloutActions rollout={rollout} />}

      <h2>Stages</h2>
      <ol className="timeline" aria-label="Rollout stages">
        {stages.map((s) => (
          <li
            key={s.key}
            className={`stage stage-${s.status}`}
            aria-current={s.status === 'current' ? 'step' : undefined}
          >
            <span className="stage-label">{s.label}</span>
            <span className="stage-status">{s.status === 'current' ? 'in progress' : s.status}</span>
            {s.at && <span className="stage-at muted small">{fmtTime(s.at)}</span>}
            {s.note && <span className="stage-note small">{s.note}</span>}
          </li>
        ))}
      </ol>

      <div className="grid-2">
        <div className="panel">
          <h2>Traffic now</h2>
          <TrafficSplit variants={rollout.live?.weights ?? lastVariants(rollout.events)} />
        </div>
        <div className="panel">
          <h2>Signals</h2>
          {signals.length === 0 ? (
            <p className="muted">No signals received.</p>
          ) : (
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Signal</th>
                  <th scope="col">From</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {signals.map((s) => (
                  <tr key={s.seq}>
                    <td>{fmtTime(s.at)}</td>
                    <td>{s.signal}</td>
                    <td>
                      {s.from}
                      {s.reason && <span className="muted small"> “{s.reason}”</span>}
                    </td>
                    <td>
                      {s.action ?? '—'}
                      {s.stateThen && <span className="muted small"> (in {s.stateThen})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>

      {gate && <GateRules gate={gate} />}

      <h2>Evidence over time</h2>
      <div className="charts">
        <TimeSeriesChart
          title="Traffic weights"
          unit="%"
          x={weights.x}
          series={weights.series}
          stepped
          yRange={[0, 100]}
        />
        {slo.map(({ check, data }) => (
          <TimeSeriesChart
            key={check}
            title={`SLO check ${check}: measured vs limit`}
            unit={data.unit}
            x={data.x}
            series={data.series}
          />
        ))}
      </div>

      <h2>Events</h2>
      <EventList events={rollout.events} />

      {rollout.alarms.length > 0 && (
        <>
          <h2>Alarms that acted on this rollout</h2>
          <ul>
            {rollout.alarms.map((a) => (
              <li key={a.id}>
                {fmtDateTime(a.receivedAt)} {a.name} ({a.source}) <Badge value={a.state} />
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>Policy</summary>
        <JsonView value={rollout.policy} />
      </details>
      {terminal && (
        <details>
          <summary>Final evidence</summary>
          <JsonView value={rollout.evidence} />
        </details>
      )}
    </section>
  );
}

/** The offline gate's verdict, each rule's measured value against its threshold. */
function GateRules({ gate }: { gate: NonNullable<ReturnType<typeof gateRules>> }) {
  return (
    <div className="panel">
      <h2>Offline gate</h2>
      <p>
        <Badge value={gate.skipped ? 'SKIPPED' : gate.passed ? 'PASSED' : 'FAILED'} /> {gate.summary}
      </p>
      {gate.rules.length > 0 && (
        <table className="data compact">
          <caption className="visually-hidden">Gate rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Measured</th>
              <th scope="col">Threshold</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {gate.rules.map((r) => (
              <tr key={r.rule}>
                <td>{r.rule}</td>
                <td>{r.actual === null ? '—' : fmtNumber(r.actual)}</td>
                <td>{fmtNumber(r.threshold)}</td>
                <td title={r.reason}>{r.passed ? 'pass' : 'fail'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function EventList({ events }: { events: Rollout['events'] }) {
  const seen = useRef(new Set<number>());
  useEffect(() => {
    // When each event first appeared on screen, against when it happened (the browser tests read it).
    for (const e of events) {
      if (seen.current.has(e.seq)) continue;
      seen.current.add(e.seq);
      performance.mark(`fledge:rollout-event:${e.seq}`, { detail: { at: e.at, type: e.type } });
    }
  }, [events]);
  return (
    <ol className="events" reversed>
      {[...events].reverse().map((e) => (
        <li key={e.seq} className={`event event-${e.type.replace('.', '-')}`} data-seq={e.seq}>
          <details>
            <summary>
              <time dateTime={e.at}>{fmtTime(e.at)}</time> <span className="event-type">{e.type}</span>{' '}
              <span>{summarizeEvent(e)}</span>
            </summary>
            <JsonView value={e.payload} />
          </details>
        </li>
      ))}
    </ol>
  );
}

function RolloutActions({ rollout }: { rollout: Rollout }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const [confirmAbort, setConfirmAbort] = useState(false);
  const [reason, setReason] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [operationName(RolloutDetailDocument)] });
  const approve = useGqlMutation(ApproveRolloutDocument, refresh);
  const pause = useGqlMutation(PauseRolloutDocument, refresh);
  const resume = useGqlMutation(ResumeRolloutDocument, refresh);
  const abort = useGqlMutation(AbortRolloutDocument, refresh);
  if (!canOperate(viewer.data?.viewer.role)) return null;
  const input = { endpoint: rollout.endpoint.name };
  const busy = approve.isPending || pause.isPending || resume.isPending || abort.isPending;
  const failed = [approve, pause, resume, abort].find((m) => m.error);
  const submitAbort = (event: FormEvent) => {
    event.preventDefault();
    abort.mutate(
      { input: { ...input, reason: reason.trim() || undefined } },
      { onSuccess: () => setConfirmAbort(false) },
    );
  };
  return (
    <div className="actions panel" role="group" aria-label="Rollout actions">
      <button
        type="button"
        onClick={() => approve.mutate({ input })}
        disabled={busy || !rollout.live?.awaitingApproval}
      >
        Approve
      </button>
      {rollout.live?.paused ? (
        <button type="button" onClick={() => resume.mutate({ input })} disabled={busy}>
          Resume
        </button>
      ) : (
        <button type="button" onClick={() => pause.mutate({ input })} disabled={busy}>
          Pause
        </button>
      )}
      {confirmAbort ? (
        <form className="inline-form" onSubmit={submitAbort}>
          <label htmlFor="abort-reason">Reason</label>
          <input
            id="abort-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="why abort?"
          />
          <button type="submit" className="danger" disabled={busy}>
            Confirm abort
          </button>
          <button type="button" onClick={() => setConfirmAbort(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirmAbort(true)} disabled={busy}>
          Abort
        </button>
      )}
      {failed?.error && <ErrorPanel error={failed.error} title="The action was refused" />}
    </div>
  );
}
