import { isPredictionSpec, type PredictionSpec } from '@fledge/domain';
import { invalidArgument } from '@fledge/errors';

import { type BatchingOptions, defaultBatching } from '../dataplane/dynamic-batcher.js';

export type VariantRole = 'primary' | 'canary' | 'shadow';

/** One variant of an endpoint as the control plane wants it served (admin API body). */
export interface VariantSpec {
  variantName: string;
  modelVersionId: string;
  modelName: string;
  version: number;
  artifactUri: string;
  sha256: string;
  role: VariantRole;
  /** Share of routed traffic 0..100; shadows have 0. */
  weight: number;
  /** Fraction 0..1 of routed requests mirrored to a shadow. */
  shadowSampleRate: number;
  batching?: Partial<BatchingOptions>;
  /** What the version predicts: a shadow is compared with the primary on it (derived from the signature when absent). */
  prediction?: PredictionSpec;
  /** Shadows of regression models: relative tolerance within which a prediction agrees (default 0.05). */
  agreementTolerance?: number;
}

export interface EndpointSpec {
  variants: VariantSpec[];
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

function bad(message: string): never {
  throw invalidArgument(message, { reason: 'ENDPOINT_SPEC_INVALID' });
}

export function validateEndpointName(name: string): string {
  if (!NAME.test(name)) bad(`endpoint name ${JSON.stringify(name)} must match ${NAME.source}`);
  return name;
}

/**
 * Validates and normalizes a desired endpoint state: unique variant names, integer weights
 * 0..100 summing to 100 across serving variants, shadows with weight 0 and a rate in (0, 1].
 */
export function parseEndpointSpec(body: unknown): EndpointSpec {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as EndpointSpec).variants)) {
    bad('the body must be {"variants": [...]}');
  }
  const raw = (body as EndpointSpec).variants;
  const names = new Set<string>();
  let weights = 0;
  let serving = 0;
  const variants = raw.map((v, i): VariantSpec => {
    if (typeof v !== 'object' || v === null) bad(`variants[${i}] must be an object`);
    const str = (k: keyof VariantSpec) => {
      const x = v[k];
      if (typeof x !== 'string' || x === '') bad(`variants[${i}].${k} must be a non-empty string`);
      return x;
    };
    const variantName = str('variantName');
    if (!NAME.test(variantName)) bad(`variant name ${JSON.stringify(variantName)} must match ${NAME.source}`);
    if (names.has(variantName)) bad(`variant ${variantName} appears twice`);
    names.add(variantName);
    const role = v.role;
    if (role !== 'primary' && role !== 'canary' && role !== 'shadow')
      bad(`variant ${variantName}: role must be primary, canary or shadow`);
    if (!Number.isInteger(v.weight) || v.weight < 0 || v.weight > 100)
      bad(`variant ${variantName}: weight must be an integer 0..100`);
    if (!Number.isInteger(v.version) || v.version < 0)
      bad(`variant ${variantName}: version must be a non-negative integer`);
    const rate = v.shadowSampleRate ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      bad(`variant ${variantName}: shadowSampleRate must be in 0..1`);
    if (role === 'shadow') {
      if (v.weight !== 0) bad(`shadow variant ${variantName} must have weight 0`);
      if (rate <= 0) bad(`shadow variant ${variantName} needs a shadowSampleRate above 0`);
    } else {
      serving++;
      weights += v.weight;
    }
    const b = v.batching ?? {};
    const batching: BatchingOptions = {
      maxBatchSize: b.maxBatchSize ?? defaultBatching.maxBatchSize,
      maxQueueDelayUs: b.maxQueueDelayUs ?? defaultBatching.maxQueueDelayUs,
      maxQueueSize: b.maxQueueSize ?? defaultBatching.maxQueueSize,
    };
    if (!Number.isInteger(batching.maxBatchSize) || batching.maxBatchSize < 1 || batching.maxBatchSize > 4096) {
      bad(`variant ${variantName}: batching.maxBatchSize must be an integer 1..4096`);
    }
    if (!(batching.maxQueueDelayUs >= 0 && batching.maxQueueDelayUs <= 10_000_000)) {
      bad(`variant ${variantName}: batching.maxQueueDelayUs must be 0..10000000`);
    }
    if (!Number.isInteger(batching.maxQueueSize) || batching.maxQueueSize < 1) {
      bad(`variant ${variantName}: batching.maxQueueSize must be a positive integer`);
    }
    if (v.prediction !== undefined && !isPredictionSpec(v.prediction)) {
      bad(`variant ${variantName}: prediction must be a prediction spec (kind, output, classes, labelValues, scores)`);
    }
    const tolerance = v.agreementTolerance;
    if (tolerance !== undefined && !(typeof tolerance === 'number' && tolerance >= 0 && tolerance <= 10)) {
      bad(`variant ${variantName}: agreementTolerance must be a number in 0..10`);
    }
    return {
      variantName,
      modelVersionId: str('modelVersionId'),
      modelName: str('modelName'),
      version: v.version,
      artifactUri: str('artifactUri'),
      sha256: str('sha256').toLowerCase(),
      role,
      weight: v.weight,
      shadowSampleRate: rate,
      batching,
      ...(v.prediction ? { prediction: v.prediction } : {}),
      ...(tolerance !== undefined ? { agreementTolerance: tolerance } : {}),
    };
  });
  if (serving > 0 && weights !== 100) bad(`serving weights sum to ${weights}, not 100`);
  if (serving === 0) bad('an endpoint needs at least one serving (primary or canary) variant');
  return { variants };
}

/** Canonical text of a spec, for the idempotency check. */
export function specFingerprint(spec: EndpointSpec): string {
  const sorted = [...spec.variants].sort((a, b) => a.variantName.localeCompare(b.variantName));
  return JSON.stringify(sorted, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
