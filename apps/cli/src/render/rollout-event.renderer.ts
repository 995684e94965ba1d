import {
  type PayloadOf,
  type RolloutEventView,
  type RolloutFieldsFragment,
  type SloWindowFieldsFragment,
  type TrafficWeightFieldsFragment,
  type VariantWindowStatsFieldsFragment,
} from '@fledge/client';

const num = (value: number | null | undefined, digits = 3): string =>
  typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value * 10 ** digits) / 10 ** digits) : '-';

/** `2026-11-23T12:34:56.789Z` → `12:34:56` (UTC, as the API records it). */
const clock = (iso: string) => /T(\d\d:\d\d:\d\d)/.exec(iso)?.[1] ?? iso;

type Weight = Pick<TrafficWeightFieldsFragment, 'name' | 'role' | 'weight'> & { shadowSampleRate?: number };

/** `digits-v1 primary 50%, digits-v2 canary 50%`; shadows show their mirrored share. */
export function formatWeights(variants: readonly Weight[]): string {
  if (variants.length === 0) return 'no variants';
  return variants
    .map((v) =>
      v.role === 'shadow'
        ? `${v.name} shadow (${v.shadowSampleRate === undefined ? 'mirrored' : `mirrors ${num(v.shadowSampleRate * 100, 1)}%`})`
        : `${v.name} ${v.role} ${v.weight}%`,
    )
    .join(', ');
}

function stats(label: string, s: VariantWindowStatsFieldsFragment | null): string {
  if (!s) return '';
  const agreement = typeof s.agreement === 'number' ? `, agreement ${num(s.agreement)}` : '';
  const client = s.clientErrors ? `, ${s.clientErrors} client err` : '';
  const median = typeof s.medianMs === 'number' ? `p50 ${num(s.medianMs, 1)} ms, ` : '';
  return `${label} ${s.requests} req, ${s.errors} err${client}, ${median}p99 ${num(s.p99Ms, 1)} ms${agreement}`;
}

const mark = (passed: boolean) => (passed ? '✓' : '✗');

function gateLines({ gate }: PayloadOf<'GateEvaluatedEvent'>): string[] {
  const verdict = gate.skipped ? 'skipped' : gate.passed ? 'passed' : 'failed';
  // The summary usually starts with the verdict itself ("gate passed (2 rules)").
  const rest = gate.summary.replace(/^gate (passed|failed|skipped)\s*:?\s*/i, '');
  const head = `gate ${verdict}${rest === '' ? '' : rest.startsWith('(') ? ` ${rest}` : `: ${rest}`}`;
  return [head, ...gate.rules.map((r) => `  ${mark(r.passed)} ${r.reason}`)];
}

/** `fail (2 of 3 in a row)`, `fail (hard)`, `pass (observed 20/30 s)`. */
function verdictOf(w: SloWindowFieldsFragment): string {
  const verdict = w.verdict.toLowerCase();
  if (w.verdict === 'FAIL') {
    return w.hard ? `${verdict} (hard)` : `${verdict} (${w.consecutiveFailures} of ${w.failureThreshold} in a row)`;
  }
  if (w.verdict === 'PASS' && w.observedSeconds !== null && w.bakeSeconds)
    return `${verdict} (observed ${num(w.observedSeconds, 0)}/${w.bakeSeconds} s)`;
  return verdict;
}

function latencyLines(w: SloWindowFieldsFragment): string[] {
  const l = w.latency;
  if (!l) return w.note && !w.summary.includes(w.note) ? [`  ${w.note}`] : [];
  if (l.method === 'mann-whitney') {
    const shift = l.shiftMs === null ? '-' : `${l.shiftMs >= 0 ? '+' : ''}${num(l.shiftMs, 2)} ms`;
    const p = l.pValue !== null && l.pValue > 0 && l.pValue < 1e-4 ? l.pValue.toExponential(1) : num(l.pValue, 4);
    return [`  latency: Mann–Whitney p = ${p} (α ${l.alpha}), shift ${shift} (minimum ${num(l.minShiftMs, 2)} ms)`];
  }
  return [`  latency: ${l.note ?? 'p99 rule'}`];
}

function windowLines(w: SloWindowFieldsFragment, paused: boolean): string[] {
  const numbers = [stats('candidate', w.candidate), stats('baseline', w.baseline)].filter((s) => s !== '').join('; ');
  return [
    `slo ${w.stepKey} ${verdictOf(w)}: ${w.summary}${paused ? ' (paused)' : ''}`,
    ...(numbers ? [`  ${numbers}`] : []),
    ...latencyLines(w),
    ...w.checks.filter((c) => !c.passed && w.verdict === 'FAIL').map((c) => `  ✗ ${c.detail}`),
  ];
}

function signalLine(d: PayloadOf<'SignalReceivedEvent'>): string {
  const who = d.by ? ` by ${d.by}` : d.source ? ` from ${d.source}` : '';
  const what = d.signal === 'alarm' ? `alarm ${d.name ?? '?'}` : d.signal;
  const why = d.reason ? `: ${d.reason}` : '';
  const action = d.action ? ` → ${d.action}` : '';
  return `signal ${what}${who}${why} (in ${d.state})${action}`;
}

function stepCompletedLine(d: PayloadOf<'StepCompletedEvent'>): string {
  switch (d.decision) {
    case 'advance':
      return `step ${d.stepKey} done: baked, last window passed`;
    case 'wait-for-samples':
      return `step ${d.stepKey} baked but short of samples: waiting up to ${d.maxSampleWaitSeconds ?? '?'} s for traffic`;
    case 'approved':
      return `approved by ${d.by ?? '?'}`;
    case 'promoted':
      return `promoted: ${d.promoted ? `${d.promoted.modelName}@${d.promoted.version}` : '?'} is now production`;
    default:
      return `step ${d.stepKey} ${d.decision}`;
  }
}

function lines({ type, payload: d }: RolloutEventView): string[] {
  switch (d.__typename) {
    case 'RolloutStartedEvent':
      return [`started: stages ${d.stages.join(' → ')}`];
    case 'StateChangedEvent':
      return [`state ${d.state}${d.reason ? `: ${d.reason}` : ''}`];
    case 'GateEvaluatedEvent':
      return gateLines(d);
    case 'TrafficAppliedEvent':
      return [`traffic ${d.stepKey}: ${formatWeights(d.variants)}${d.alreadyApplied ? ' (already applied)' : ''}`];
    case 'SloWindowCheckedEvent':
      return windowLines(d.window, d.paused);
    case 'StepCompletedEvent':
      return [stepCompletedLine(d)];
    case 'SignalReceivedEvent':
      return [signalLine(d)];
    case 'RollbackCompletedEvent':
      return [
        `rolled back (${d.reason ?? '?'}): now ${formatWeights(d.variants)}${d.cleanupError ? `; cleanup failed: ${d.cleanupError}` : ''}`,
      ];
    case 'CleanupFailedEvent':
      return [`cleanup failed: ${d.error} (traffic is on the baseline; the candidate stays loaded at 0%)`];
    case 'RolloutContinuedEvent':
      return [`continued as new (run ${d.run})`];
    case 'RolloutFinishedEvent':
      return [`finished ${d.state}${d.reason ? `: ${d.reason}` : ''}`];
    case 'UnrecognizedRolloutEvent':
      return [`${type} ${JSON.stringify(d.detail)}`];
  }
}

/** One event for people: `12:34:56  <line>`, continuation lines indented under it. */
export function renderEventLine(event: RolloutEventView): string {
  const [first, ...rest] = lines(event);
  const prefix = `${clock(event.at)}  `;
  return [prefix + first, ...rest.map((line) => ' '.repeat(prefix.length) + line)].join('\n');
}

/** The live line on a terminal: state, step, weights, bake progress. */
export function renderStatusLine(rollout: Pick<RolloutFieldsFragment, 'state' | 'live'>): string {
  const live = rollout.live;
  if (!live) return rollout.state;
  const parts: string[] = [live.state];
  const step = live.step;
  if (step) {
    const name =
      step.phase === 'CANARY' && step.canaryStep !== null
        ? `canary ${step.canaryStep}/${step.canarySteps}`
        : step.phase.toLowerCase();
    const bake = step.bakeSeconds > 0 ? ` baked ${Math.floor(step.bakedSeconds)}/${step.bakeSeconds}s` : '';
    parts.push(`${name}${bake}`);
  }
  if (live.weights.length > 0) parts.push(formatWeights(live.weights));
  if (live.paused) parts.push('PAUSED');
  if (live.awaitingApproval) parts.push('awaiting approval (fledge rollout approve)');
  return parts.join(' | ');
}
