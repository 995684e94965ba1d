import { performance } from 'node:perf_hooks';

import { FledgeError, httpStatusOf, invalidArgument, notFound } from '@fledge/errors';
import { type NamedTensor, validateInputs } from '@fledge/inference';

import { type ErrorKind } from '../metrics/windowed-stats.js';
import { type InferRequest, type InferResponse, type ModelMetadataResponse } from '../protocol/oip.types.js';
import { type EndpointRegistry, type EndpointTable, type TableVariant } from '../registry/endpoint-registry.js';
import { type LoadedVariant } from '../registry/loaded-variant.js';
import { compareShadow } from './shadow-comparison.js';

export interface InferCall {
  endpoint: string;
  /** Pins a variant: its version number, model version id or variant name. */
  version?: string;
  /** Sticky routing key (e.g. a user id header); absent = weighted round-robin. */
  routingKey?: string;
  /** Decodes the request after routing, so decode errors count against the routed variant. */
  decode: () => InferRequest;
  /** performance.now() when the transport received the request. */
  startedAt: number;
}

interface MirroredRun {
  shadow: LoadedVariant;
  outputs: Promise<NamedTensor[] | null>;
}

export interface InferOutcome {
  response: InferResponse;
  variant: string;
  modelVersion: string;
  /** Names of outputs to send in binary (data extension). */
  binaryOutputs: Set<string>;
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
 * The transport-agnostic core of serving (MLServer's "data plane"): route, validate, batch, run,
 * mirror to shadows, record metrics. REST (and any future transport) only converts bytes.
 */
export class DataPlane {
  constructor(private readonly registry: EndpointRegistry) {}

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
    try {
      const request = call.decode();
      const inputs = validateInputs(loaded.signature, request.inputs);
      const rows = loaded.batchable ? inputs[0].shape[0] : 1;
      // Shadows start with the primary, so their latency carries the same queueing, not the primary's run too.
      const mirrored = routed && table.shadows.length > 0 ? this.mirror(table, inputs, call.startedAt) : [];
      const result = await loaded.batcher.submit(inputs, rows);
      loaded.metrics.queued(result.queueMs);
      const outputs = selectOutputs(result.outputs, request);
      const response: InferResponse = {
        modelName: call.endpoint,
        modelVersion: String(chosen.spec.version),
        id: request.id,
        outputs,
      };
      loaded.metrics.request(200, performance.now() - call.startedAt);
      for (const m of mirrored) this.compareWhenDone(m, loaded.prediction, result.outputs);
      return {
        response,
        variant: chosen.spec.variantName,
        modelVersion: String(chosen.spec.version),
        binaryOutputs: new Set(
          request.outputs.length > 0
            ? request.outputs.filter((o) => o.binary).map((o) => o.name)
            : request.binaryOutputs
              ? outputs.map((o) => o.name)
              : [],
        ),
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
    }
  }

  /**
   * Starts a sample on each shadow at the same time as the primary; never throws and is never
   * awaited by the primary path. A full shadow queue drops the sample (counted). Each shadow's
   * latency runs from the request's arrival, as the primary's does.
   */
  private mirror(table: EndpointTable, inputs: NamedTensor[], startedAt: number): MirroredRun[] {
    const runs: MirroredRun[] = [];
    for (const shadow of table.shadows) {
      shadow.sampleCredit += shadow.spec.shadowSampleRate;
      if (shadow.sampleCredit < 1 - 1e-9) continue;
      shadow.sampleCredit -= 1;
      const run = this.runShadow(shadow, inputs, startedAt);
      if (run) runs.push(run);
    }
    return runs;
  }

  /** The shadow's outputs, or null when it failed (recorded as the shadow's error) or was dropped. */
  private runShadow(shadow: TableVariant, inputs: NamedTensor[], startedAt: number): MirroredRun | undefined {
    const loaded = shadow.loaded;
    const metrics = loaded.metrics;
    if (loaded.batcher.queued >= (loaded.spec.batching?.maxQueueSize ?? 0)) {
      metrics.shadow('dropped');
      return undefined;
    }
    loaded.acquire();
    let submitted: Promise<NamedTensor[]>;
    try {
      const ordered = validateInputs(loaded.signature, inputs);
      const rows = loaded.batchable ? ordered[0].shape[0] : 1;
      submitted = loaded.batcher.submit(ordered, rows).then((result) => {
        metrics.request(200, performance.now() - startedAt);
        return result.outputs;
      });
    } catch (error) {
      submitted = Promise.reject(error);
    }
    const outputs = submitted
      .catch((error: unknown) => {
        const kind = errorKindOf(error);
        if (kind === 'queue_full') {
          metrics.shadow('dropped');
          return null;
        }
        metrics.request(
          error instanceof FledgeError ? httpStatusOf(error.code) : 500,
          performance.now() - startedAt,
          kind,
        );
        metrics.shadow('error');
        return null;
      })
      .finally(() => loaded.release());
    return { shadow: loaded, outputs };
  }

  /** Once the shadow answers too, records how far its predictions agree with the primary's. */
  private compareWhenDone(run: MirroredRun, prediction: LoadedVariant['prediction'], primary: NamedTensor[]): void {
    void run.outputs.then((outputs) => {
      if (!outputs) return;
      const agreement = compareShadow(
        { prediction, outputs: primary },
        { prediction: run.shadow.prediction, outputs },
        run.shadow.spec.agreementTolerance,
      );
      if (agreement) run.shadow.metrics.shadow(agreement);
    });
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

function selectOutputs(outputs: NamedTensor[], request: InferRequest): NamedTensor[] {
  if (request.outputs.length === 0) return outputs;
  return request.outputs.map((o) => {
    const found = outputs.find((x) => x.name === o.name);
    if (!found) throw invalidArgument(`unknown output ${o.name}`, { reason: 'OUTPUT_UNKNOWN' });
    return found;
  });
}
