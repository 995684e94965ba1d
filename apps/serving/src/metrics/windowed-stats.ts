import { type LatencyDistribution } from '@fledge/domain';
import hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof hdr.build>;

/** Requests refused for what the client sent (HTTP 4xx): shown per variant, never an error-budget fault. */
export type ClientErrorKind = 'invalid_input';
/**
 * Server-side faults (5xx): the error budget. A full variant queue (503) counts here: the variant
 * could not keep up with its share of traffic, which is what a rollout must notice.
 */
export type ServerErrorKind = 'queue_full' | 'model_error' | 'unavailable' | 'internal';
export type ErrorKind = ClientErrorKind | ServerErrorKind;

const clientErrorKinds: ReadonlySet<ErrorKind> = new Set<ClientErrorKind>(['invalid_input']);

export function isClientErrorKind(kind: ErrorKind): kind is ClientErrorKind {
  return clientErrorKinds.has(kind);
}

/** Bins of a window's latency distribution at most (neighbouring histogram buckets merge beyond). */
export const MAX_LATENCY_BINS = 512;

/** What a one-second slot counts and a window sums (latencies apart). */
interface WindowCounters {
  requests: number;
  errors: number;
  clientErrors: number;
  errorsByKind: Partial<Record<ErrorKind, number>>;
  batches: number;
  batchRows: number;
  queueMsSum: number;
  shadowSamples: number;
  shadowAgreements: number;
  shadowAbsDiffSum: number;
  shadowAbsDiffCount: number;
  shadowDrops: number;
  shadowErrors: number;
}

interface Slot extends WindowCounters {
  second: number;
  latencyUs: Histogram | undefined;
}

/** A variant's statistics over a time window (latencies in milliseconds, successful requests only). */
export interface WindowSnapshot {
  /** Every request answered: successes, client errors and server errors. */
  requests: number;
  /** Server-side faults only (see ServerErrorKind). */
  errors: number;
  errorsByKind: Partial<Record<ServerErrorKind, number>>;
  clientErrors: number;
  clientErrorsByKind: Partial<Record<ClientErrorKind, number>>;
  /** Binned latencies of the successful requests, from the window's merged HDR histogram. */
  latency: LatencyDistribution;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  meanBatchRows: number;
  meanQueueMs: number;
  shadowSamples: number;
  /** Fraction of compared rows whose argmax matched the primary's (classifiers); null without samples. */
  agreement: number | null;
  /** Mean absolute difference to the primary's outputs (non-classifiers); null without samples. */
  meanAbsDiff: number | null;
  shadowDrops: number;
  shadowErrors: number;
}

const newHistogram = (): Histogram =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 2,
    bitBucketSize: 32,
    useWebAssembly: false,
  });

/**
 * A ring of one-second slots, each with counters and an HDR latency histogram (allocated lazily,
 * reused when the ring wraps), so a window of the last N seconds is a merge of N slots.
 */
export class WindowedStats {
  private readonly slots: Slot[];

  constructor(
    readonly horizonSeconds = 600,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = Array.from({ length: horizonSeconds }, () => emptySlot(-1));
  }

  private slot(): Slot {
    const second = Math.floor(this.now() / 1000);
    const s = this.slots[second % this.horizonSeconds];
    if (s.second !== second) {
      const h = s.latencyUs;
      h?.reset();
      Object.assign(s, emptySlot(second), { latencyUs: h });
    }
    return s;
  }

  recordRequest(latencyMs: number, error: ErrorKind | undefined): void {
    const s = this.slot();
    s.requests++;
    if (error) {
      if (isClientErrorKind(error)) s.clientErrors++;
      else s.errors++;
      s.errorsByKind[error] = (s.errorsByKind[error] ?? 0) + 1;
      return;
    }
    (s.latencyUs ??= newHistogram()).recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  recordBatch(rows: number): void {
    const s = this.slot();
    s.batches++;
    s.batchRows += rows;
  }

  recordQueue(ms: number): void {
    this.slot().queueMsSum += ms;
  }

  recordShadow(result: { rows: number; agreeing?: number; absDiff?: number } | 'dropped' | 'error'): void {
    const s = this.slot();
    if (result === 'dropped') s.shadowDrops++;
    else if (result === 'error') s.shadowErrors++;
    else {
      s.shadowSamples += result.rows;
      if (result.agreeing !== undefined) s.shadowAgreements += result.agreeing;
      if (result.absDiff !== undefined) {
        s.shadowAbsDiffSum += result.absDiff;
        s.shadowAbsDiffCount += 1;
      }
    }
  }

  /** Merges the slots whose second lies in [fromMs, toMs]. */
  snapshot(fromMs: number, toMs = this.now()): WindowSnapshot {
    return mergeWindows([this.partial(fromMs, toMs)]);
  }

  /**
   * The raw sums of the slots whose second lies in [fromMs, toMs], latencies as the recorded HDR
   * buckets: plain data that crosses processes and merges exactly (see mergeWindows).
   */
  partial(fromMs: number, toMs = this.now()): WindowPartial {
    const to = Math.floor(toMs / 1000);
    // Slots older than the ring are stale until overwritten: never read them.
    const from = Math.max(Math.floor(fromMs / 1000), Math.floor(this.now() / 1000) - this.horizonSeconds + 1);
    const out: WindowPartial = { ...emptyCounters(), latencyUs: [] };
    const merged = newHistogram();
    for (const s of this.slots) {
      if (s.second < from || s.second > to) continue;
      addCounters(out, s);
      if (s.latencyUs && s.latencyUs.totalCount > 0) merged.add(s.latencyUs);
    }
    const it = (merged as unknown as hdr.JsHistogram).recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const step = it.next();
      out.latencyUs.push([step.valueIteratedTo, step.countAtValueIteratedTo]);
    }
    merged.destroy();
    return out;
  }
}

/** A window's raw sums from one process (JSON-safe); latency as `[µs bucket value, count]` pairs. */
export interface WindowPartial extends WindowCounters {
  latencyUs: [number, number][];
}

function emptyCounters(): WindowCounters {
  return {
    requests: 0,
    errors: 0,
    clientErrors: 0,
    errorsByKind: {},
    batches: 0,
    batchRows: 0,
    queueMsSum: 0,
    shadowSamples: 0,
    shadowAgreements: 0,
    shadowAbsDiffSum: 0,
    shadowAbsDiffCount: 0,
    shadowDrops: 0,
    shadowErrors: 0,
  };
}

function addCounters(into: WindowCounters, from: WindowCounters): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.clientErrors += from.clientErrors;
  for (const [k, v] of Object.entries(from.errorsByKind) as [ErrorKind, number][])
    into.errorsByKind[k] = (into.errorsByKind[k] ?? 0) + v;
  into.batches += from.batches;
  into.batchRows += from.batchRows;
  into.queueMsSum += from.queueMsSum;
  into.shadowSamples += from.shadowSamples;
  into.shadowAgreements += from.shadowAgreements;
  into.shadowAbsDiffSum += from.shadowAbsDiffSum;
  into.shadowAbsDiffCount += from.shadowAbsDiffCount;
  into.shadowDrops += from.shadowDrops;
  into.shadowErrors += from.shadowErrors;
}

/**
 * One window from the partials of several processes (or one): counters add up, and the latency
 * buckets are recorded into one HDR histogram, so percentiles come from the merged distribution —
 * never an average of percentiles. Recording a bucket's value lands in that same bucket: exact.
 */
export function mergeWindows(partials: readonly WindowPartial[]): WindowSnapshot {
  const merged = newHistogram();
  const out: WindowSnapshot = {
    requests: 0,
    errors: 0,
    errorsByKind: {},
    clientErrors: 0,
    clientErrorsByKind: {},
    latency: { valuesMs: [], counts: [] },
    p50Ms: 0,
    p95Ms: 0,
    p99Ms: 0,
    maxMs: 0,
    meanMs: 0,
    meanBatchRows: 0,
    meanQueueMs: 0,
    shadowSamples: 0,
    agreement: null,
    meanAbsDiff: null,
    shadowDrops: 0,
    shadowErrors: 0,
  };
  const sum = emptyCounters();
  for (const p of partials) {
    addCounters(sum, p);
    for (const [valueUs, count] of p.latencyUs) merged.recordValueWithCount(valueUs, count);
  }
  out.requests = sum.requests;
  out.errors = sum.errors;
  out.clientErrors = sum.clientErrors;
  for (const [k, v] of Object.entries(sum.errorsByKind) as [ErrorKind, number][]) {
    const byKind: Partial<Record<ErrorKind, number>> = isClientErrorKind(k) ? out.clientErrorsByKind : out.errorsByKind;
    byKind[k] = v;
  }
  out.shadowSamples = sum.shadowSamples;
  out.shadowDrops = sum.shadowDrops;
  out.shadowErrors = sum.shadowErrors;
  const ok = out.requests - out.errors - out.clientErrors;
  if (merged.totalCount > 0) {
    out.p50Ms = merged.getValueAtPercentile(50) / 1000;
    out.p95Ms = merged.getValueAtPercentile(95) / 1000;
    out.p99Ms = merged.getValueAtPercentile(99) / 1000;
    out.maxMs = merged.maxValue / 1000;
    out.meanMs = merged.mean / 1000;
    out.latency = latencyDistribution(merged, MAX_LATENCY_BINS);
  }
  out.meanBatchRows = sum.batches > 0 ? sum.batchRows / sum.batches : 0;
  out.meanQueueMs = ok > 0 ? sum.queueMsSum / ok : 0;
  if (out.shadowSamples > 0 && sum.shadowAbsDiffCount === 0) out.agreement = sum.shadowAgreements / out.shadowSamples;
  if (sum.shadowAbsDiffCount > 0) out.meanAbsDiff = sum.shadowAbsDiffSum / sum.shadowAbsDiffCount;
  merged.destroy();
  return out;
}

/**
 * The histogram's recorded buckets as a distribution in ms: each non-empty bucket (2 significant
 * digits, so within 1% of its values) is a bin valued at the bucket's highest equivalent value, the
 * value HDR reports percentiles with. Beyond `maxBins`, runs of neighbouring bins merge into one
 * valued at their count-weighted mean (still strictly ascending: runs do not overlap).
 */
export function latencyDistribution(histogram: Histogram, maxBins: number): LatencyDistribution {
  const valuesUs: number[] = [];
  const counts: number[] = [];
  const it = (histogram as unknown as hdr.JsHistogram).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const step = it.next();
    valuesUs.push(step.valueIteratedTo);
    counts.push(step.countAtValueIteratedTo);
  }
  if (valuesUs.length <= maxBins) return { valuesMs: valuesUs.map((v) => v / 1000), counts };
  const run = Math.ceil(valuesUs.length / maxBins);
  const out: LatencyDistribution = { valuesMs: [], counts: [] };
  for (let i = 0; i < valuesUs.length; i += run) {
    let n = 0;
    let sum = 0;
    for (let j = i; j < Math.min(i + run, valuesUs.length); j++) {
      n += counts[j];
      sum += counts[j] * valuesUs[j];
    }
    out.valuesMs.push(sum / n / 1000);
    out.counts.push(n);
  }
  return out;
}

function emptySlot(second: number): Slot {
  return { ...emptyCounters(), second, latencyUs: undefined };
}
