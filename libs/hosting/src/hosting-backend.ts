import { type PredictionSpec, type VariantWindowStats } from '@fledge/domain';

export type HostingBackendKind = 'local' | 'sagemaker';

export type HostedVariantRole = 'primary' | 'canary' | 'shadow';

/** One variant as the control plane wants it hosted. Backend-neutral: no ports, no instance types. */
export interface DesiredVariant {
  variantName: string;
  modelVersionId: string;
  modelName: string;
  version: number;
  /** Artifact store URI of the ONNX file and its recorded digest (verified before it is served). */
  artifactUri: string;
  sha256: string;
  role: HostedVariantRole;
  /** 0..100; serving (non-shadow) weights sum to 100. */
  weight: number;
  /** 0..1, shadows only. */
  shadowSampleRate: number;
  /** Dynamic batching hints; backends without batching ignore them. */
  batching?: { maxBatchSize?: number; maxQueueDelayUs?: number; maxQueueSize?: number };
  /** What the version predicts: shadow agreement compares these outputs (absent: derived from the signature). */
  prediction?: PredictionSpec;
  /** Shadows of regression models: the relative tolerance within which a prediction agrees (policy shadow.regressionTolerance). */
  agreementTolerance?: number;
}

export interface DesiredEndpoint {
  name: string;
  variants: DesiredVariant[];
  /**
   * The candidate variant a rollout is judging, with the SLO limits its alarms enforce (backends
   * with their own alarms, e.g. CloudWatch, watch it until it is promoted or removed). Absent or
   * null: nothing is under watch.
   */
  watch?: WatchedVariant | null;
}

export interface WatchedVariant {
  variantName: string;
  rolloutId: string;
  /** Absolute p99 latency ceiling in milliseconds; null: no latency alarm. */
  maxP99LatencyMs: number | null;
  /** Ceiling of server-side errors (5xx) per request. */
  maxErrorRate: number;
}

/** What a caller may pass to a long apply: progress reports (e.g. heartbeats) and cancellation. */
export interface ApplyContext {
  onProgress?: (progress: { endpoint: string; stage: string; detail?: string }) => void;
  signal?: AbortSignal;
}

export type EndpointStatus = 'InService' | 'Updating' | 'Failed';

export interface HostedVariant extends Omit<DesiredVariant, 'batching' | 'prediction' | 'agreementTolerance'> {
  /** What the model's signature says (empty when the backend cannot tell). */
  inputs: { name: string; datatype: string; shape: number[] }[];
  outputs: { name: string; datatype: string; shape: number[] }[];
}

export interface EndpointState {
  name: string;
  backend: HostingBackendKind;
  status: EndpointStatus;
  variants: HostedVariant[];
  /** Increases with every applied change (local: the runtime's generation). */
  generation: number;
  updatedAt: string;
}

export interface ApplyEndpointResult {
  /** False when the endpoint already had exactly this desired state (idempotent apply). */
  changed: boolean;
  state: EndpointState;
}

/** A statistics window: the last `seconds`, or everything since `since`. */
export type StatsWindow = { seconds: number } | { since: Date };

/** Live statistics of one variant; extends the domain's SLO input with backend detail (`source` says which). */
export interface HostedVariantStats extends VariantWindowStats {
  role: HostedVariantRole;
  weight: number;
  modelVersionId: string;
  errorsByKind: Record<string, number>;
  meanAbsDiff: number | null;
}

/**
 * Where endpoints are hosted (ARCHITECTURE.md, "Hosting backends"). Every method is idempotent
 * and safe to retry from a Temporal activity. Failures are FledgeErrors: INVALID_ARGUMENT /
 * INTEGRITY / NOT_FOUND are business failures (do not retry); UNAVAILABLE is transient.
 */
export interface HostingBackend {
  readonly kind: HostingBackendKind;
  /**
   * Makes the endpoint serve exactly `desired` (create or update; no variants: nothing serves). Returns
   * once it serves it.
   */
  applyEndpoint(desired: DesiredEndpoint, context?: ApplyContext): Promise<ApplyEndpointResult>;
  /** The endpoint as currently served, or null when it does not exist. */
  describeEndpoint(name: string): Promise<EndpointState | null>;
  /** Per-variant statistics over a window, for SLO checks. NOT_FOUND when the endpoint does not exist. */
  variantStats(name: string, window: StatsWindow): Promise<HostedVariantStats[]>;
  /** Removes the endpoint; deleting a missing endpoint succeeds. */
  deleteEndpoint(name: string): Promise<void>;
}
