import { type HostingBackend } from './hosting-backend.js';
import { type ArtifactReader } from './sagemaker/model-package.js';
import { type SageMakerHostingBackend } from './sagemaker/sagemaker-hosting.adapter.js';

interface Revealable {
  reveal(): string;
}

/** The SageMaker settings of a process's configuration (`@fledge/config`'s SageMakerBackendConfig). */
export interface SageMakerBackendSettings {
  region: string;
  bucket: string;
  prefix: string;
  endpointUrl?: string;
  credentials?: { accessKeyId: string; secretAccessKey: Revealable; sessionToken?: Revealable };
  alarmWebhook?: { url: string; key: Revealable };
  waitSeconds: number;
  pollMs: number;
  maxAttempts: number;
}

export interface SageMakerBackendDeps {
  artifacts: ArtifactReader;
  workDir: string;
  endpointOptions: (endpoint: string) => Promise<Record<string, unknown> | null>;
}

/** The SageMaker hosting backend as a process holds it: see createSageMakerBackend. */
export interface SageMakerBackend extends HostingBackend {
  readonly kind: 'sagemaker';
  /** Fails, naming the setting, when the credentials or the package bucket are wrong. */
  verifyAccess(): Promise<void>;
  /** Releases the clients' sockets (if they were ever created). */
  close(): void;
}

/**
 * The SageMaker backend of a process: the worker drives endpoints with it; the API reads their
 * live CloudWatch statistics with the same one (same settings, same clients). The adapter and the
 * AWS SDK clients it needs (SageMaker, CloudWatch, SNS, S3: about 10 MB resident, measured by
 * bench:footprint) are imported on the first call, so a process that is configured for SageMaker
 * but never touches a SageMaker endpoint, and any process that is not, does not pay for them.
 */
export function createSageMakerBackend(
  settings: SageMakerBackendSettings,
  deps: SageMakerBackendDeps,
): SageMakerBackend {
  let adapter: Promise<SageMakerHostingBackend> | undefined;
  const load = () =>
    (adapter ??= import('./sagemaker/sagemaker-backend.factory.js').then(({ buildSageMakerBackend }) =>
      buildSageMakerBackend(settings, deps),
    ));
  return {
    kind: 'sagemaker',
    verifyAccess: async () => (await load()).verifyAccess(),
    applyEndpoint: async (desired, context) => (await load()).applyEndpoint(desired, context),
    describeEndpoint: async (name) => (await load()).describeEndpoint(name),
    variantStats: async (name, window) => (await load()).variantStats(name, window),
    deleteEndpoint: async (name) => (await load()).deleteEndpoint(name),
    close() {
      void adapter?.then((backend) => backend.close());
    },
  };
}
