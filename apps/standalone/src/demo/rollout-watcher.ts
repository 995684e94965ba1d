import {
  type FledgeApiClient,
  type RolloutEventView,
  type RolloutView,
  TERMINAL_ROLLOUT_STATES,
  type VariantWeight,
} from './fledge-api.client.js';

interface WindowStats {
  variant: string;
  requests: number;
  errors: number;
  clientErrors?: number;
  medianMs?: number | null;
  p99Ms: number;
  agreement?: number | null;
  shadowSamples?: number;
}

/** The fields of rollout event details the demo prints (see the workflow's event types). */
interface EventDetail {
  state?: string;
  reason?: string | null;
  stepKey?: string;
  decision?: string;
  variants?: (VariantWeight & { shadowSampleRate?: number })[];
  alreadyApplied?: boolean;
  gate?: { passed: boolean; skipped: boolean; summary: string; rules?: { reason: string }[] };
  candidate?: WindowStats | { evaluationId: string; metrics: { accuracy?: number } | null } | null;
  baseline?: WindowStats | { evaluationId: string; metrics: { accuracy?: number } | null } | null;
  verdict?: string;
  hard?: boolean;
  consecutiveFailures?: number;
  failureThreshold?: number;
  latency?: { method: string; pValue: number | null; shiftMs: number | null } | null;
  summary?: string;
  phase?: string;
  source?: string;
  name?: string;
  kind?: string;
  signal?: string;
  action?: string;
  cause?: { kind: string; summary?: string; name?: string; source?: string } | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatWeights(variants: readonly (VariantWeight & { shadowSampleRate?: number })[]): string {
  return variants
    .map((v) =>
      v.role === 'shadow'
        ? `${v.name} shadow (mirrors ${Math.round((v.shadowSampleRate ?? 1) * 100)}%)`
        : `${v.name} ${v.weight}%`,
    )
    .join(' | ');
}

function formatStats(s: WindowStats): string {
  const agreement =
    s.agreement !== undefined && s.agreement !== null ? `, agreement ${(s.agreement * 100).toFixed(1)}%` : '';
  const median = typeof s.medianMs === 'number' ? `p50 ${s.medianMs.toFixed(1)} ms ` : '';
  const client = s.clientErrors ? `, ${s.clientErrors} client err` : '';
  return `${s.variant} ${median}p99 ${s.p99Ms.toFixed(1)} ms (${s.requests} req, ${s.errors} err${client}${agreement})`;
}

/** PASS, INCONCLUSIVE, FAIL (hard) or FAIL 2/3 (failing windows in a row of the threshold). */
function formatVerdict(d: EventDetail): string {
  const verdict = String(d.verdict).toUpperCase();
  if (d.verdict !== 'fail') return verdict;
  return d.hard ? `${verdict} (hard)` : `${verdict} ${d.consecutiveFailures ?? '?'}/${d.failureThreshold ?? '?'}`;
}

/** The rank test's shift and p-value, where it ran. */
function formatLatencyTest(d: EventDetail): string {
  const l = d.latency;
  if (!l || l.method !== 'mann-whitney' || l.shiftMs === null || l.pValue === null) return '';
  const p = l.pValue < 1e-4 ? l.pValue.toExponential(1) : l.pValue.toFixed(4);
  return `; shift ${l.shiftMs >= 0 ? '+' : ''}${l.shiftMs.toFixed(2)} ms, p ${p}`;
}

/** One line per event, or null for events the demo leaves out. */
export function describeEvent(event: RolloutEventView): string | null {
  const d = event.detail as EventDetail;
  switch (event.type) {
    case 'state.changed':
      return `state → ${d.state}${d.reason ? `  (${d.reason})` : ''}`;
    case 'gate.evaluated': {
      if (!d.gate) return null;
      const rules = d.gate.rules?.map((r) => r.reason).join('; ');
      return `offline gate ${d.gate.skipped ? 'SKIPPED' : d.gate.passed ? 'PASSED' : 'FAILED'}: ${rules || d.gate.summary}`;
    }
    case 'traffic.applied':
      return `traffic [${d.stepKey}] ${formatWeights(d.variants ?? [])}${d.alreadyApplied ? ' (already applied)' : ''}`;
    case 'slo.window': {
      const stats = [d.candidate, d.baseline].filter((s): s is WindowStats => !!s && 'p99Ms' in s);
      return `SLO window [${d.stepKey}] ${formatVerdict(d)}: ${stats.map(formatStats).join('; ')}${formatLatencyTest(d)}${
        d.verdict === 'pass' ? '' : `  — ${d.summary}`
      }`;
    }
    case 'step.completed':
      return d.decision === 'wait-for-samples'
        ? `step [${d.stepKey}] waiting for samples`
        : `step [${d.stepKey}] ${d.decision}`;
    case 'signal.received':
      return `signal ${d.signal}${d.name ? ` ${d.name}` : ''}${d.source ? ` from ${d.source}` : ''}${d.action ? ` → ${d.action}` : ''}`;
    case 'rollback.completed':
      return `rollback completed: traffic back to ${formatWeights(d.variants ?? [])}`;
    default:
      return null;
  }
}

/**
 * Polls `rollout(id)` and prints every new event as it happens, until the rollout ends (or `until`
 * holds), the way an operator would watch it in the CLI.
 */
export async function watchRollout(
  client: FledgeApiClient,
  id: string,
  print: (line: string) => void,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<RolloutView> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let seen = 0;
  let started: number | undefined;
  for (;;) {
    const view = await client.rollout(id);
    for (const event of view.events.filter((e) => e.seq > seen)) {
      seen = Math.max(seen, event.seq);
      started ??= Date.parse(event.at);
      const line = describeEvent(event);
      if (line) print(`  ${`+${((Date.parse(event.at) - started) / 1000).toFixed(1)}s`.padStart(7)}  ${line}`);
    }
    if (TERMINAL_ROLLOUT_STATES.includes(view.state)) return view;
    if (Date.now() > deadline) throw new Error(`rollout ${id} still ${view.state} after ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 300);
  }
}
