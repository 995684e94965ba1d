import { type Rollout, type RolloutEvent, type TrafficWeight } from '../client/api.types.js';

// The event `detail`s are written by the rollout workflow (workflows/src/contracts/rollout.contract.ts);
// the CLI reads them defensively: an unknown or partial detail still renders.
interface WindowStats {
  requests?: number;
  errors?: number;
  clientErrors?: number;
  medianMs?: number | null;
  p99Ms?: number;
  agreement?: number | null;
}

interface Detail {
  stages?: string[];
  state?: string;
  reason?: string | null;
  gate?: {
    passed?: boolean;
    skipped?: boolean;
    summary?: string;
    rules?: { passed?: boolean; reason?: string }[];
  };
  stepKey?: string;
  variants?: (TrafficWeight & { shadowSampleRate?: number })[];
  alreadyApplied?: boolean;
  verdict?: string;
  summary?: string;
  checks?: { passed?: boolean; detail?: string }[];
  /** Window stats in slo.window, the promoted version in step.completed. */
  candidate?: WindowStats & { modelName?: string; version?: number };
  baseline?: WindowStats | null;
  hard?: boolean;
  consecutiveFailures?: number;
  failureThreshold?: number;
  note?: string | null;
  latency?: {
    method?: string;
    note?: string | null;
    pValue?: number | null;
    alpha?: number;
    shiftMs?: number | null;
    minShiftMs?: number | null;
  } | null;
  observedSeconds?: number;
  bakeSeconds?: number;
  paused?: boolean;
  decision?: string;
  maxSampleWaitSeconds?: number;
  by?: string | null;
  signal?: string;
  source?: string;
  name?: string;
  action?: string;
  cleanupError?: string | null;
  error?: string;
  run?: number;
}

const num = (value: unknown, digits = 3): string =>
  typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value * 10 ** digits) / 10 ** digits) : '-';

/** `2026-11-23T12:34:56.789Z` → `12:34:56` (UTC, as the API records it). */
const clock = (iso: string) => /T(\d\d:\d\d:\d\d)/.exec(iso)?.[1] ?? iso;

/** `digits-v1 primary 50%, digits-v2 canary 50%`; shadows show their mirrored share. */
export function formatWeights(variants: readonly (TrafficWeight & { shadowSampleRate?: number })[]): string {
  if (variants.length === 0) return 'no variants';
  return variants
    .map((v) =>
      v.role === 'shadow'
        ? `${v.name} shadow (${v.shadowSampleRate === undefined ? 'mirrored' : `mirrors ${num(v.shadowSampleRate * 100, 1)}%`})`
        : `${v.name} ${v.role} ${v.weight}%`,
    )
    .join(', ');
}

function stats(label: string, s: WindowStats | null | undefined): string {
  if (!s) return '';
  const agreement = typeof s.agreement === 'number' ? `, agreement ${num(s.agreement)}` : '';
  const client = s.clientErrors ? `, ${s.clientErrors} client err` : '';
  const median = typeof s.medianMs === 'number' ? `p50 ${num(s.medianMs, 1)} ms, ` : '';
  return `${label} ${s.requests ?? 0} req, ${s.errors ?? 0} err${client}, ${median}p99 ${num(s.p99Ms, 1)} ms${agreement}`;
}

/** `fail (2 of 3 in a row)`, `fail (hard)`, `pass (observed 20/30 s)`. */
function verdictOf(d: Detail): string {
  if (d.verdict === 'fail') {
    if (d.hard) return 'fail (hard)';
    if (typeof d.consecutiveFailures === 'number' && typeof d.failureThreshold === 'number')
      return `fail (${d.consecutiveFailures} of ${d.failureThreshold} in a row)`;
  }
  if (d.verdict === 'pass' && typeof d.observedSeconds === 'number' && d.bakeSeconds)
    return `pass (observed ${num(d.observedSeconds, 0)}/${d.bakeSeconds} s)`;
  return String(d.verdict);
}

function latencyLine(d: Detail): string[] {
  const l = d.latency;
  if (!l) return d.note && !d.summary?.includes(d.note) ? [`  ${d.note}`] : [];
  if (l.method === 'mann-whitney') {
    const shift = typeof l.shiftMs === 'number' ? `${l.shiftMs >= 0 ? '+' : ''}${num(l.shiftMs, 2)} ms` : '-';
    const p =
      typeof l.pValue === 'number' && l.pValue > 0 && l.pValue < 1e-4 ? l.pValue.toExponential(1) : num(l.pValue, 4);
    return [
      `  latency: Mann–Whitney p = ${p} (α ${l.alpha ?? '-'}), shift ${shift} (minimum ${num(l.minShiftMs, 2)} ms)`,
    ];
  }
  return [`  latency: ${l.note ?? 'p99 rule'}`];
}

const mark = (passed: unknown) => (passed ? '✓' : '✗');

function gateLines(d: Detail): string[] {
  const gate = d.gate ?? {};
  const verdict = gate.skipped ? 'skipped' : gate.passed ? 'passed' : 'failed';
  const rules = Array.isArray(gate.rules) ? gate.rules : [];
  // The summary usually starts with the verdict itself ("gate passed (2 rules)").
  const rest = String(gate.summary ?? '').replace(/^gate (passed|failed|skipped)\s*:?\s*/i, '');
  const head = `gate ${verdict}${rest === '' ? '' : rest.startsWith('(') ? ` ${rest}` : `: ${rest}`}`;
  return [head, ...rules.map((r) => `  ${mark(r.passed)} ${r.reason}`)];
}

function signalLine(d: Detail): string {
  const who = d.by ? ` by ${d.by}` : d.source ? ` from ${d.source}` : '';
  const what = d.signal === 'alarm' ? `alarm ${d.name ?? '?'}` : String(d.signal ?? 'signal');
  const why = d.reason ? `: ${d.reason}` : '';
  const action = d.action ? ` → ${d.action}` : '';
  return `signal ${what}${who}${why} (in ${d.state ?? '?'})${action}`;
}

function stepCompletedLine(d: Detail): string {
  switch (d.decision) {
    case 'advance':
      return `step ${d.stepKey} done: baked, last window passed`;
    case 'wait-for-samples':
      return `step ${d.stepKey} baked but short of samples: waiting up to ${d.maxSampleWaitSeconds} s for traffic`;
    case 'approved':
      return `approved by ${d.by ?? '?'}`;
    case 'promoted':
      return `promoted: ${d.candidate?.modelName ?? '?'}@${d.candidate?.version ?? '?'} is now production`;
    default:
      return `step ${d.stepKey ?? '?'} ${d.decision ?? 'completed'}`;
  }
}

function lines(event: RolloutEvent): string[] {
  const d = event.detail as Detail;
  switch (event.type) {
    case 'rollout.started':
      return [`started: stages ${Array.isArray(d.stages) ? d.stages.join(' → ') : '?'}`];
    case 'state.changed':
      return [`state ${d.state}${d.reason ? `: ${d.reason}` : ''}`];
    case 'gate.evaluated':
      return gateLines(d);
    case 'traffic.applied':
      return [
        `traffic ${d.stepKey}: ${formatWeights(Array.isArray(d.variants) ? d.variants : [])}${d.alreadyApplied ? ' (already applied)' : ''}`,
      ];
    case 'slo.window': {
      const numbers = [stats('candidate', d.candidate), stats('baseline', d.baseline)]
        .filter((s) => s !== '')
        .join('; ');
      const checks = Array.isArray(d.checks) ? d.checks : [];
      return [
        `slo ${d.stepKey} ${verdictOf(d)}: ${d.summary}${d.paused ? ' (paused)' : ''}`,
        ...(numbers ? [`  ${numbers}`] : []),
        ...latencyLine(d),
        ...checks.filter((c) => !c.passed && d.verdict === 'fail').map((c) => `  ✗ ${c.detail}`),
      ];
    }
    case 'step.completed':
      return [stepCompletedLine(d)];
    case 'signal.received':
      return [signalLine(d)];
    case 'rollback.completed':
      return [
        `rolled back (${d.reason ?? '?'}): now ${formatWeights(Array.isArray(d.variants) ? d.variants : [])}${d.cleanupError ? `; cleanup failed: ${d.cleanupError}` : ''}`,
      ];
    case 'cleanup.failed':
      return [`cleanup failed: ${d.error ?? '?'} (traffic is on the baseline; the candidate stays loaded at 0%)`];
    case 'rollout.continued':
      return [`continued as new (run ${d.run ?? '?'})`];
    case 'rollout.finished':
      return [`finished ${d.state}${d.reason ? `: ${d.reason}` : ''}`];
    default:
      return [`${event.type} ${JSON.stringify(d)}`];
  }
}

/** One event for people: `12:34:56  <line>`, continuation lines indented under it. */
export function renderEventLine(event: RolloutEvent): string {
  const [first, ...rest] = lines(event);
  const prefix = `${clock(event.at)}  `;
  return [prefix + first, ...rest.map((line) => ' '.repeat(prefix.length) + line)].join('\n');
}

/** The live line on a terminal: state, step, weights, bake progress. */
export function renderStatusLine(rollout: Pick<Rollout, 'state' | 'live'>): string {
  const live = rollout.live;
  if (!live) return rollout.state;
  const parts: string[] = [live.state];
  const step = live.step;
  if (step) {
    const name =
      step.phase === 'canary' && step.canaryStep !== null
        ? `canary ${step.canaryStep}/${step.canarySteps}`
        : step.phase;
    const bake = step.bakeSeconds > 0 ? ` baked ${Math.floor(step.bakedSeconds)}/${step.bakeSeconds}s` : '';
    parts.push(`${name}${bake}`);
  }
  if (live.weights.length > 0) parts.push(formatWeights(live.weights));
  if (live.paused) parts.push('PAUSED');
  if (live.awaitingApproval) parts.push('awaiting approval (fledge rollout approve)');
  return parts.join(' | ');
}
