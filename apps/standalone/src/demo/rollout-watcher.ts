import {
  type FledgeClient,
  isTerminalRolloutState,
  type PayloadOf,
  readRolloutEvents,
  type RolloutEventView,
  type RolloutState,
  type TrafficWeightFieldsFragment,
  type VariantWindowStatsFieldsFragment,
} from '@fledge/client';

type Weight = Pick<TrafficWeightFieldsFragment, 'name' | 'role' | 'weight'> & { shadowSampleRate?: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatWeights(variants: readonly Weight[]): string {
  return variants
    .map((v) =>
      v.role === 'shadow'
        ? `${v.name} shadow (mirrors ${Math.round((v.shadowSampleRate ?? 1) * 100)}%)`
        : `${v.name} ${v.weight}%`,
    )
    .join(' | ');
}

type WindowStats = Pick<
  VariantWindowStatsFieldsFragment,
  'variant' | 'requests' | 'errors' | 'clientErrors' | 'medianMs' | 'p99Ms' | 'agreement'
>;
type Window = PayloadOf<'SloWindowCheckedEvent'>['window'];

function formatStats(s: WindowStats): string {
  const agreement = s.agreement !== null ? `, agreement ${(s.agreement * 100).toFixed(1)}%` : '';
  const median = s.medianMs !== null ? `p50 ${s.medianMs.toFixed(1)} ms ` : '';
  const client = s.clientErrors ? `, ${s.clientErrors} client err` : '';
  return `${s.variant} ${median}p99 ${s.p99Ms.toFixed(1)} ms (${s.requests} req, ${s.errors} err${client}${agreement})`;
}

/** PASS, INCONCLUSIVE, FAIL (hard) or FAIL 2/3 (failing windows in a row of the threshold). */
function formatVerdict(w: Window): string {
  if (w.verdict !== 'FAIL') return w.verdict;
  return w.hard ? `${w.verdict} (hard)` : `${w.verdict} ${w.consecutiveFailures}/${w.failureThreshold}`;
}

/** The rank test's shift and p-value, where it ran. */
function formatLatencyTest(w: Window): string {
  const l = w.latency;
  if (!l || l.method !== 'mann-whitney' || l.shiftMs === null || l.pValue === null) return '';
  const p = l.pValue < 1e-4 ? l.pValue.toExponential(1) : l.pValue.toFixed(4);
  return `; shift ${l.shiftMs >= 0 ? '+' : ''}${l.shiftMs.toFixed(2)} ms, p ${p}`;
}

function windowLine({ window: w }: PayloadOf<'SloWindowCheckedEvent'>): string {
  const stats = [w.candidate, w.baseline].filter((s): s is NonNullable<typeof s> => s !== null);
  return `SLO window [${w.stepKey}] ${formatVerdict(w)}: ${stats.map(formatStats).join('; ')}${formatLatencyTest(w)}${
    w.verdict === 'PASS' ? '' : `  — ${w.summary}`
  }`;
}

/** One line per event, or null for events the demo leaves out. */
export function describeEvent(event: Pick<RolloutEventView, 'payload'>): string | null {
  const d = event.payload;
  switch (d.__typename) {
    case 'StateChangedEvent':
      return `state → ${d.state}${d.reason ? `  (${d.reason})` : ''}`;
    case 'GateEvaluatedEvent': {
      const rules = d.gate.rules.map((r) => r.reason).join('; ');
      return `offline gate ${d.gate.skipped ? 'SKIPPED' : d.gate.passed ? 'PASSED' : 'FAILED'}: ${rules || d.gate.summary}`;
    }
    case 'TrafficAppliedEvent':
      return `traffic [${d.stepKey}] ${formatWeights(d.variants)}${d.alreadyApplied ? ' (already applied)' : ''}`;
    case 'SloWindowCheckedEvent':
      return windowLine(d);
    case 'StepCompletedEvent':
      return d.decision === 'wait-for-samples'
        ? `step [${d.stepKey}] waiting for samples`
        : `step [${d.stepKey}] ${d.decision}`;
    case 'SignalReceivedEvent':
      return `signal ${d.signal}${d.name ? ` ${d.name}` : ''}${d.source ? ` from ${d.source}` : ''}${d.action ? ` → ${d.action}` : ''}`;
    case 'RollbackCompletedEvent':
      return `rollback completed: traffic back to ${formatWeights(d.variants)}`;
    default:
      return null;
  }
}

/**
 * Reads the rollout's events as they are recorded (only what is new each time) and prints each,
 * until the rollout ends, the way an operator would watch it in the CLI.
 */
export async function watchRollout(
  client: FledgeClient,
  id: string,
  print: (line: string) => void,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<{ id: string; state: RolloutState; reason: string | null }> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let cursor: string | null = null;
  let started: number | undefined;
  for (;;) {
    const read = await readRolloutEvents(client, id, { after: cursor });
    cursor = read.cursor;
    for (const event of read.events) {
      started ??= Date.parse(event.at);
      const line = describeEvent(event);
      if (line) print(`  ${`+${((Date.parse(event.at) - started) / 1000).toFixed(1)}s`.padStart(7)}  ${line}`);
    }
    if (isTerminalRolloutState(read.state)) return { id, state: read.state, reason: read.reason };
    if (Date.now() > deadline) throw new Error(`rollout ${id} still ${read.state} after ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 300);
  }
}
