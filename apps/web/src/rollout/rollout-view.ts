// What the rollout page shows, derived from the rollout's recorded events (pure: no React, no DOM).
// Event details are untyped JSON today; everything here reads them defensively and falls back to
// showing the raw detail.

export interface RolloutEventLike {
  seq: number;
  type: string;
  at: string;
  detail: unknown;
}

export interface RolloutLike {
  state: string;
  reason: string | null;
  policy: unknown;
  events: RolloutEventLike[];
  live: { awaitingApproval: boolean; paused: boolean } | null;
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

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The planned stages: from the rollout.started event, else from the policy. */
function plannedStageKeys(rollout: RolloutLike): string[] {
  const started = rollout.events.find((e) => e.type === 'rollout.started');
  const fromEvent = arr(obj(started?.detail).stages).filter((s): s is string => typeof s === 'string');
  if (fromEvent.length) return fromEvent;
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
  for (const e of rollout.events) {
    const d = obj(e.detail);
    const stepKey = str(d.stepKey);
    if (e.type === 'gate.evaluated') {
      firstAt.set('gate', firstAt.get('gate') ?? e.at);
      gatePassed = obj(d.gate).passed === true;
    }
    if (e.type === 'state.changed' && d.state === 'GATING') firstAt.set('gate', firstAt.get('gate') ?? e.at);
    if (
      stepKey &&
      stepKey !== 'rollback' &&
      stepKey !== 'cleanup' &&
      (e.type === 'traffic.applied' || e.type === 'slo.window')
    ) {
      firstAt.set(stepKey, firstAt.get(stepKey) ?? e.at);
    }
    if (e.type === 'step.completed' && stepKey) {
      firstAt.set(stepKey, firstAt.get(stepKey) ?? e.at);
      completed.add(stepKey);
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

const pct = (v: unknown) => (num(v) === null ? '?' : `${num(v)}%`);

function variantsText(variants: unknown): string {
  return arr(variants)
    .map((v) => {
      const x = obj(v);
      const name = str(x.name) ?? str(x.variantName) ?? '?';
      return x.role === 'shadow'
        ? `${name} shadow (mirrors ${Math.round((num(x.shadowSampleRate) ?? 0) * 100)}%)`
        : `${name} ${pct(x.weight)}`;
    })
    .join(' | ');
}

/** One line per event, in words; the page shows the full detail beneath it. */
export function summarizeEvent(event: RolloutEventLike): string {
  const d = obj(event.detail);
  switch (event.type) {
    case 'rollout.started':
      return `rollout started by ${str(d.initiatedBy) ?? 'someone'}: stages ${arr(d.stages).join(' → ')}`;
    case 'state.changed':
      return `state → ${str(d.state) ?? '?'}${str(d.reason) ? ` (${d.reason})` : ''}`;
    case 'gate.evaluated': {
      const gate = obj(d.gate);
      return `offline gate ${gate.skipped ? 'skipped' : gate.passed ? 'PASSED' : 'FAILED'}: ${str(gate.summary) ?? ''}`;
    }
    case 'traffic.applied':
      return `traffic [${str(d.stepKey) ?? '?'}] ${variantsText(d.variants)}${d.alreadyApplied ? ' (already applied)' : ''}`;
    case 'slo.window':
      return `SLO window [${str(d.stepKey) ?? '?'}] ${String(d.verdict ?? '?').toUpperCase()}: ${str(d.summary) ?? ''}`;
    case 'step.completed':
      return `step ${str(d.stepKey) ?? '?'} completed: ${str(d.decision) ?? ''}${str(d.by) ? ` by ${d.by}` : ''}`;
    case 'signal.received': {
      const who = str(d.by) ?? (str(d.source) ? `${d.source}${str(d.name) ? ` alarm ${d.name}` : ''}` : 'unknown');
      return `signal ${str(d.signal) ?? '?'} from ${who}${str(d.reason) ? ` (“${d.reason}”)` : ''} → ${str(d.action) ?? 'recorded'}`;
    }
    case 'rollback.completed':
      return `rollback completed: ${str(d.reason) ?? ''}; serving ${variantsText(d.variants)}`;
    case 'rollout.finished':
      return `rollout finished ${str(d.state) ?? ''}: ${str(d.reason) ?? ''}`;
    case 'cleanup.failed':
      return `cleanup failed: ${str(d.error) ?? ''}`;
    default:
      return event.type;
  }
}

export interface ChartData {
  x: number[];
  series: { label: string; values: (number | null)[]; limit?: boolean }[];
  unit: string;
}

const unitOf = (check: string) => (/latency|ms$/i.test(check) ? 'ms' : /rate|agreement|share/i.test(check) ? '%' : '');

/** Every SLO check over time, its measured value against its limit (one chart per check). */
export function sloCharts(events: RolloutEventLike[]): { check: string; data: ChartData }[] {
  const windows = events.filter((e) => e.type === 'slo.window');
  const checks = [...new Set(windows.flatMap((e) => arr(obj(e.detail).checks).map((c) => str(obj(c).check) ?? '?')))];
  return checks.map((check) => {
    const unit = unitOf(check);
    const scale = unit === '%' ? 100 : 1;
    const points = windows
      .map((e) => ({ e, c: obj(arr(obj(e.detail).checks).find((c) => obj(c).check === check)) }))
      .filter(({ c }) => Object.keys(c).length > 0);
    const value = (v: unknown) => (num(v) === null ? null : num(v)! * scale);
    return {
      check,
      data: {
        unit,
        x: points.map(({ e }) => Date.parse(str(obj(e.detail).at) ?? e.at) / 1000),
        series: [
          { label: 'measured', values: points.map(({ c }) => value(c.actual)) },
          { label: 'limit', values: points.map(({ c }) => value(c.threshold)), limit: true },
        ],
      },
    };
  });
}

/** Routed weight of each variant after each traffic change, held until `until` (now or the end). */
export function weightChart(events: RolloutEventLike[], until: string): ChartData {
  const changes = events.filter((e) => e.type === 'traffic.applied');
  const names = [...new Set(changes.flatMap((e) => arr(obj(e.detail).variants).map((v) => str(obj(v).name) ?? '?')))];
  const weightAt = (e: RolloutEventLike, name: string) => {
    const v = arr(obj(e.detail).variants)
      .map(obj)
      .find((x) => x.name === name);
    return v ? (num(v.weight) ?? 0) : 0;
  };
  const x = changes.map((e) => Date.parse(e.at) / 1000);
  const series = names.map((name) => ({
    label: name,
    values: changes.map((e) => weightAt(e, name)) as (number | null)[],
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
export function signalsOf(events: RolloutEventLike[]): SignalRow[] {
  return events
    .filter((e) => e.type === 'signal.received')
    .map((e) => {
      const d = obj(e.detail);
      return {
        seq: e.seq,
        at: str(d.at) ?? e.at,
        signal: str(d.signal) ?? '?',
        from: str(d.by) ?? ([str(d.source), str(d.name)].filter(Boolean).join(': ') || 'unknown'),
        reason: str(d.reason) ?? str(obj(d.detail).summary),
        stateThen: str(d.state),
        action: str(d.action),
      };
    });
}
