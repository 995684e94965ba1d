// What the rollout page shows, derived from the rollout's recorded events (pure: no React, no DOM).
// Each event carries its typed payload (one GraphQL object type per event type).

import { type PayloadOf, type RolloutEventView } from '@fledge/client';

export type RolloutEventLike = Pick<RolloutEventView, 'seq' | 'type' | 'at' | 'payload'>;
type Payload = RolloutEventLike['payload'];
type Typename = Payload['__typename'];

export interface RolloutLike {
  state: string;
  reason: string | null;
  policy: unknown;
  events: RolloutEventLike[];
  live: { awaitingApproval: boolean; paused: boolean } | null;
}

/** The payloads of one event type, with their events. */
function payloadsOf<T extends Typename>(events: readonly RolloutEventLike[], typename: T) {
  return events.flatMap((e) =>
    e.payload.__typename === typename ? [{ event: e, payload: e.payload as PayloadOf<T> }] : [],
  );
}

export type StageStatus = 'done' | 'current' | 'failed' | 'pending' | 'skipped';

export interface Stage {
  key: string;
  label: string;
  status: StageStatus;
  /** When the stage started (its first event), if it did. */
  at: string | null;
  note: string | null;
}

export const terminalStates = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];
export const isTerminal = (state: string) => terminalStates.includes(state);

// The policy stays JSON (its schema is the API's rollout policy input).
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The planned stages: from the rollout.started event, else from the policy. */
function plannedStageKeys(rollout: RolloutLike): string[] {
  const [started] = payloadsOf(rollout.events, 'RolloutStartedEvent');
  if (started?.payload.stages.length) return started.payload.stages;
  const policy = obj(rollout.policy);
  const steps = arr(obj(policy.canary).steps);
  return [
    ...(obj(policy.shadow).enabled === false ? [] : ['shadow']),
    ...steps.map((_, i) => `canary-${i + 1}`),
    ...(obj(policy.promote).requireApproval === true ? ['approval'] : []),
    'promoting',
    'final',
  ];
}

function stageLabel(key: string, policy: unknown): string {
  const canary = /^canary-(\d+)$/.exec(key);
  if (canary) {
    const step = obj(arr(obj(obj(policy).canary).steps)[Number(canary[1]) - 1]);
    return `Canary ${canary[1]}${num(step.weight) !== null ? ` (${step.weight}%)` : ''}`;
  }
  return (
    { gate: 'Offline gate', shadow: 'Shadow', approval: 'Approval', promoting: 'Promoting', final: 'Full traffic' }[
      key
    ] ?? key
  );
}

const outcomeLabel: Record<string, string> = {
  SUCCEEDED: 'Succeeded',
  REJECTED: 'Rejected',
  ROLLED_BACK: 'Rolled back',
  ABORTED: 'Aborted',
  FAILED: 'Failed',
  ROLLING_BACK: 'Rolling back',
};

/** The stage timeline: gate → shadow → canary steps → (approval) → promoting → final, live. */
export function stagesOf(rollout: RolloutLike): Stage[] {
  const keys = ['gate', ...plannedStageKeys(rollout)];
  const firstAt = new Map<string, string>();
  const completed = new Set<string>();
  let gatePassed: boolean | null = null;
  const reached = (key: string, at: string) => {
    if (key !== 'rollback' && key !== 'cleanup') firstAt.set(key, firstAt.get(key) ?? at);
  };
  for (const e of rollout.events) {
    const p = e.payload;
    switch (p.__typename) {
      case 'GateEvaluatedEvent':
        reached('gate', e.at);
        gatePassed = p.gate.passed;
        break;
      case 'StateChangedEvent':
        if (p.state === 'GATING') reached('gate', e.at);
        break;
      case 'TrafficAppliedEvent':
        reached(p.stepKey, e.at);
        break;
      case 'SloWindowCheckedEvent':
        reached(p.window.stepKey, e.at);
        break;
      case 'StepCompletedEvent':
        reached(p.stepKey, e.at);
        completed.add(p.stepKey);
        break;
    }
  }
  if (rollout.live?.awaitingApproval) firstAt.set('approval', firstAt.get('approval') ?? new Date().toISOString());
  if (gatePassed) completed.add('gate');
  if (rollout.state === 'SUCCEEDED') keys.forEach((k) => completed.add(k));

  // Stages before the furthest reached one are done (a first deploy skips ahead, e.g. no bake).
  const reachedIndex = keys.reduce((last, k, i) => (firstAt.has(k) || completed.has(k) ? i : last), -1);
  const terminal = isTerminal(rollout.state);
  const failed = ['REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED', 'ROLLING_BACK'].includes(rollout.state);

  const stages: Stage[] = keys.map((key, i) => {
    let status: StageStatus = 'pending';
    if (completed.has(key) || i < reachedIndex) status = 'done';
    else if (i === reachedIndex) status = failed ? 'failed' : terminal ? 'done' : 'current';
    else if (terminal) status = 'skipped';
    return { key, label: stageLabel(key, rollout.policy), status, at: firstAt.get(key) ?? null, note: null };
  });
  if (rollout.state === 'GATING' && stages[0].status === 'pending') stages[0].status = 'current';
  if (gatePassed === false) stages[0].status = 'failed';
  const approval = stages.find((s) => s.key === 'approval');
  if (approval && rollout.live?.awaitingApproval) {
    approval.status = 'current';
    approval.note = 'waiting for approval';
  }
  const current = stages.find((s) => s.status === 'current');
  if (current && rollout.live?.paused) current.note = 'paused';

  const final = stages[stages.length - 1];
  if (failed) {
    const failedStage = stages.find((s) => s.status === 'failed');
    if (failedStage) failedStage.note = rollout.reason;
    final.label = outcomeLabel[rollout.state] ?? rollout.state;
    final.status = rollout.state === 'ROLLING_BACK' ? 'current' : 'failed';
    final.note = rollout.reason;
  } else if (rollout.state === 'SUCCEEDED') {
    final.label = 'Succeeded: full traffic';
    final.status = 'done';
  }
  return stages;
}

type Weight = PayloadOf<'TrafficAppliedEvent'>['variants'][number];

function variantsText(variants: readonly Weight[]): string {
  return variants
    .map((v) =>
      v.role === 'shadow'
        ? `${v.name} shadow (mirrors ${Math.round(v.shadowSampleRate * 100)}%)`
        : `${v.name} ${v.weight}%`,
    )
    .join(' | ');
}

const signalFrom = (p: PayloadOf<'SignalReceivedEvent'>): string =>
  p.by ?? ([p.source, p.name].filter(Boolean).join(': ') || 'unknown');

/** One line per event, in words; the page shows the full payload beneath it. */
export function summarizeEvent(event: RolloutEventLike): string {
  const p = event.payload;
  switch (p.__typename) {
    case 'RolloutStartedEvent':
      return `rollout started by ${p.initiatedBy}: stages ${p.stages.join(' → ')}`;
    case 'StateChangedEvent':
      return `state → ${p.state}${p.reason ? ` (${p.reason})` : ''}`;
    case 'GateEvaluatedEvent':
      return `offline gate ${p.gate.skipped ? 'skipped' : p.gate.passed ? 'PASSED' : 'FAILED'}: ${p.gate.summary}`;
    case 'TrafficAppliedEvent':
      return `traffic [${p.stepKey}] ${variantsText(p.variants)}${p.alreadyApplied ? ' (already applied)' : ''}`;
    case 'SloWindowCheckedEvent': {
      const w = p.window;
      const streak =
        w.verdict !== 'FAIL'
          ? ''
          : w.hard
            ? ' (hard)'
            : ` (${w.consecutiveFailures} of ${w.failureThreshold} in a row)`;
      return `SLO window [${w.stepKey}] ${w.verdict}${streak}: ${w.summary}`;
    }
    case 'StepCompletedEvent':
      return `step ${p.stepKey} completed: ${p.decision}${p.by ? ` by ${p.by}` : ''}`;
    case 'SignalReceivedEvent': {
      const who = p.by ?? (p.source ? `${p.source}${p.name ? ` alarm ${p.name}` : ''}` : 'unknown');
      return `signal ${p.signal} from ${who}${p.reason ? ` (“${p.reason}”)` : ''} → ${p.action ?? 'recorded'}`;
    }
    case 'RollbackCompletedEvent':
      return `rollback completed: ${p.reason ?? ''}; serving ${variantsText(p.variants)}`;
    case 'RolloutFinishedEvent':
      return `rollout finished ${p.state}: ${p.reason ?? ''}`;
    case 'CleanupFailedEvent':
      return `cleanup failed: ${p.error}`;
    case 'RolloutContinuedEvent':
      return `workflow continued as run ${p.run}`;
    default:
      return event.type;
  }
}

/** What the endpoint serves according to the last event that names its variants (once ended). */
export function lastVariants(events: readonly RolloutEventLike[]): Weight[] {
  for (const e of [...events].reverse()) {
    const p = e.payload;
    if ('variants' in p && p.variants.length > 0) return p.variants;
  }
  return [];
}

/** The offline gate's rules, each measured value against its threshold (the last gate evaluated). */
export function gateRules(events: readonly RolloutEventLike[]): PayloadOf<'GateEvaluatedEvent'>['gate'] | null {
  return payloadsOf(events, 'GateEvaluatedEvent').at(-1)?.payload.gate ?? null;
}

export interface ChartData {
  x: number[];
  series: { label: string; values: (number | null)[]; limit?: boolean }[];
  unit: string;
}

const unitOf = (check: string) => (/latency|ms$/i.test(check) ? 'ms' : /rate|agreement|share/i.test(check) ? '%' : '');

/** Every SLO check over time, its measured value against its limit (one chart per check). */
export function sloCharts(events: readonly RolloutEventLike[]): { check: string; data: ChartData }[] {
  const windows = payloadsOf(events, 'SloWindowCheckedEvent').map(({ payload }) => payload.window);
  const checks = [...new Set(windows.flatMap((w) => w.checks.map((c) => c.check)))];
  return checks.map((check) => {
    const unit = unitOf(check);
    const scale = unit === '%' ? 100 : 1;
    const points = windows.flatMap((w) => {
      const c = w.checks.find((x) => x.check === check);
      return c ? [{ w, c }] : [];
    });
    const value = (v: number | null) => (v === null ? null : v * scale);
    return {
      check,
      data: {
        unit,
        x: points.map(({ w }) => Date.parse(w.at) / 1000),
        series: [
          { label: 'measured', values: points.map(({ c }) => value(c.actual)) },
          { label: 'limit', values: points.map(({ c }) => value(c.threshold)), limit: true },
        ],
      },
    };
  });
}

/** Routed weight of each variant after each traffic change, held until `until` (now or the end). */
export function weightChart(events: readonly RolloutEventLike[], until: string): ChartData {
  const changes = payloadsOf(events, 'TrafficAppliedEvent');
  const names = [...new Set(changes.flatMap(({ payload }) => payload.variants.map((v) => v.name)))];
  const x = changes.map(({ event }) => Date.parse(event.at) / 1000);
  const series = names.map((name) => ({
    label: name,
    values: changes.map(({ payload }) => payload.variants.find((v) => v.name === name)?.weight ?? 0) as (
      number | null
    )[],
  }));
  if (changes.length) {
    x.push(Math.max(Date.parse(until) / 1000, x[x.length - 1]));
    series.forEach((s) => s.values.push(s.values[s.values.length - 1]));
  }
  return { x, series, unit: '%' };
}

export interface SignalRow {
  seq: number;
  at: string;
  signal: string;
  from: string;
  reason: string | null;
  stateThen: string | null;
  action: string | null;
}

/** Who sent which signal (operators' approve/pause/resume/abort, alarms), and what it did. */
export function signalsOf(events: readonly RolloutEventLike[]): SignalRow[] {
  return payloadsOf(events, 'SignalReceivedEvent').map(({ event, payload: p }) => ({
    seq: event.seq,
    at: p.receivedAt,
    signal: p.signal,
    from: signalFrom(p),
    reason: p.reason ?? p.summary,
    stateThen: p.state,
    action: p.action,
  }));
}
