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
  return `${s.variant} p99 ${s.p99Ms.toFixed(1)} ms (${s.requests} req, ${s.errors} err${agreement})`;
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
      return `SLO window [${d.stepKey}] ${String(d.verdict).toUpperCase()}: ${stats.map(formatStats).join('; ')}${
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
