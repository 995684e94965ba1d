import { performance } from 'node:perf_hooks';

import { errorOfWire, FledgeError, httpStatusOf, notFound } from '@fledge/errors';
import { type ModelMetadataResponse, type PredictionSummary } from '@fledge/inference';

import { type ErrorKind } from '../metrics/windowed-stats.js';
import { type EndpointRegistry, type EndpointTable, type TableVariant } from '../registry/endpoint-registry.js';
import { type LoadedVariant } from '../registry/loaded-variant.js';
import { type BatchAnswer, type Mirror, type MirrorAnswer } from './dynamic-batcher.js';
import { compareShadow } from './shadow-comparison.js';

export interface InferCall {
  endpoint: string;
  /** Pins a variant: its version number, model version id or variant name. */
  version?: string;
  /** Sticky routing key (e.g. a user id header); absent = weighted round-robin. */
  routingKey?: string;
  /** The request body, not yet read: its buffer is handed to an inference thread (the caller must own it whole). */
  body: Uint8Array;
  /** The Inference-Header-Content-Length header as received (checked with the body, in the thread). */
  headerLength?: string;
  /** performance.now() when the transport received the request. */
  startedAt: number;
}

/** An answer ready to write: the bytes the inference thread encoded. */
export interface InferOutcome {
  body: Buffer;
  contentType: string;
  /** Set when the body carries binary outputs after the JSON header. */
  jsonHeaderLength?: number;
  variant: string;
  modelVersion: string;
}

/** A shadow's answer to a mirrored request, applied to its metrics once the primary's fate is known. */
type ShadowOutcome =
  | { kind: 'dropped' }
  | { kind: 'failed'; error: unknown; latencyMs: number }
  | { kind: 'answered'; summary: PredictionSummary; latencyMs: number };

interface MirroredRun {
  shadow: TableVariant;
  outcome: Promise<ShadowOutcome>;
  mirror: Mirror;
}

export function errorKindOf(error: unknown): ErrorKind {
  if (!(error instanceof FledgeError)) return 'internal';
  if (error.reason === 'QUEUE_FULL') return 'queue_full';
  if (error.reason === 'MODEL_RUN_FAILED') return 'model_error';
  if (error.code === 'INVALID_ARGUMENT') return 'invalid_input';
  if (error.code === 'UNAVAILABLE') return 'unavailable';
  return 'internal';
}

/**
 * The transport-agnostic core of serving (MLServer's "data plane"): route, queue for batching,
 * mirror to shadows, record metrics. It never reads a body: decoding, validation, stacking,
 * running and encoding happen in the inference threads, which answer with the bytes to send.
 */
export class DataPlane {
  /** Shadow answers not yet recorded in their variant's metrics. */
  private readonly shadowsPending = new Set<Promise<void>>();

  constructor(private readonly registry: EndpointRegistry) {}

  /** Resolves once every shadow run started so far has been recorded (its request, its agreement). */
  async shadowsSettled(): Promise<void> {
    while (this.shadowsPending.size > 0) await Promise.all(this.shadowsPending);
  }

  live(): boolean {
    return true;
  }

  endpointReady(name: string): boolean {
    return this.registry.get(name) !== undefined;
  }

  metadata(endpoint: string, version?: string): ModelMetadataResponse {
    const table = this.table(endpoint);
    const v = version === undefined ? this.mainVariant(table) : this.pinned(table, version);
    return {
      name: endpoint,
      versions: table.variants.map((x) => String(x.spec.version)),
      platform: 'onnxruntime_onnx',
      inputs: v.loaded.signature.inputs,
      outputs: v.loaded.signature.outputs,
    };
  }

  async infer(call: InferCall): Promise<InferOutcome> {
    const table = this.table(call.endpoint);
    const routed = call.version === undefined;
    const chosen = routed ? table.router.pick(call.routingKey) : this.pinned(table, call.version!);
    if (!chosen)
      throw new FledgeError('UNAVAILABLE', `endpoint ${call.endpoint} has no variant taking traffic`, {
        reason: 'NO_VARIANT',
      });
    const loaded = chosen.loaded;
    loaded.acquire();
    const mirrored = routed && table.shadows.length > 0 ? this.mirror(table, call) : [];
    let validated = false;
    let primary: PredictionSummary | undefined;
    try {
      const answer: BatchAnswer = await loaded.batcher.submit(
        {
          body: call.body,
          headerLength: call.headerLength,
          respond: true,
          summarize: mirrored.length > 0 && loaded.prediction !== null,
        },
        mirrored.map((m) => m.mirror),
      );
      const result = answer.result;
      validated = result.ok || result.validated;
      if (validated) loaded.metrics.queued(answer.queueMs);
      if (!result.ok) throw errorOfWire(result.error);
      primary = result.summary ?? null;
      loaded.metrics.request(200, performance.now() - call.startedAt);
      return {
        body: Buffer.from(answer.responses, result.offset, result.length),
        contentType: result.contentType!,
        ...(result.jsonHeaderLength !== undefined ? { jsonHeaderLength: result.jsonHeaderLength } : {}),
        variant: chosen.spec.variantName,
        modelVersion: String(chosen.spec.version),
      };
    } catch (error) {
      const status = error instanceof FledgeError ? httpStatusOf(error.code) : 500;
      loaded.metrics.request(status, performance.now() - call.startedAt, errorKindOf(error));
      if (error instanceof FledgeError) {
        throw new FledgeError(error.code, error.message, {
          reason: error.reason,
          details: { ...error.details, variant: chosen.spec.variantName, modelVersion: String(chosen.spec.version) },
          cause: error,
        });
      }
      throw error;
    } finally {
      loaded.release();
      // A request the primary refused as invalid is not mirrored: its shadow answers count nowhere.
      for (const m of mirrored) if (validated) this.recordShadow(m, loaded, primary);
    }
  }

  /**
   * Picks this request's sample for each shadow. A sample rides with the primary's batch: the
   * inference thread runs the shadow on the request it decoded for the primary, after the
   * primary's answer (see DynamicBatcher). Each shadow's latency runs from the request's arrival,
   * as the primary's does.
   */
  private mirror(table: EndpointTable, call: InferCall): MirroredRun[] {
    const runs: MirroredRun[] = [];
    for (const shadow of table.shadows) {
      shadow.sampleCredit += shadow.spec.shadowSampleRate;
      if (shadow.sampleCredit < 1 - 1e-9) continue;
      shadow.sampleCredit -= 1;
      const loaded = shadow.loaded;
      loaded.acquire();
      let settle!: (answer: MirrorAnswer) => void;
      const outcome = new Promise<ShadowOutcome>((resolve) => {
        settle = (answer) => {
          loaded.release();
          const latencyMs = performance.now() - call.startedAt;
          if (answer.kind === 'dropped') resolve({ kind: 'dropped' });
          else if (answer.kind === 'failed') resolve({ kind: 'failed', error: answer.error, latencyMs });
          else if (answer.result.ok) resolve({ kind: 'answered', summary: answer.result.summary ?? null, latencyMs });
          else resolve({ kind: 'failed', error: errorOfWire(answer.result.error), latencyMs });
        };
      });
      runs.push({ shadow, outcome, mirror: { to: loaded.batcher, settle } });
    }
    return runs;
  }

  /** Once the shadow has answered too: its request, and how far it agrees with the primary (when it answered). */
  private recordShadow(run: MirroredRun, primary: LoadedVariant, summary: PredictionSummary | undefined): void {
    const metrics = run.shadow.loaded.metrics;
    const recorded = run.outcome.then((outcome) => {
      if (outcome.kind === 'dropped') {
        metrics.shadow('dropped');
        return;
      }
      if (outcome.kind === 'failed') {
        const error = outcome.error;
        metrics.request(
          error instanceof FledgeError ? httpStatusOf(error.code) : 500,
          outcome.latencyMs,
          errorKindOf(error),
        );
        metrics.shadow('error');
        return;
      }
      metrics.request(200, outcome.latencyMs);
      if (summary === undefined) return;
      const agreement = compareShadow(
        { prediction: primary.prediction, summary },
        { prediction: run.shadow.loaded.prediction, summary: outcome.summary },
        run.shadow.spec.agreementTolerance,
      );
      if (agreement) metrics.shadow(agreement);
    });
    this.shadowsPending.add(recorded);
    void recorded.finally(() => this.shadowsPending.delete(recorded));
  }

  private table(endpoint: string): EndpointTable {
    const table = this.registry.get(endpoint);
    if (!table) throw notFound(`endpoint ${endpoint} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    return table;
  }

  private pinned(table: EndpointTable, version: string): TableVariant {
    const v = table.variants.find(
      (x) => String(x.spec.version) === version || x.spec.modelVersionId === version || x.spec.variantName === version,
    );
    if (!v) throw notFound(`endpoint ${table.name} has no version ${version}`, { reason: 'VERSION_NOT_FOUND' });
    return v;
  }

  private mainVariant(table: EndpointTable): TableVariant {
    const serving = table.variants.filter((v) => v.spec.role !== 'shadow');
    return serving.reduce((best, v) =>
      (v.spec.role === 'primary' && best.spec.role !== 'primary') || v.spec.weight > best.spec.weight ? v : best,
    );
  }
}
