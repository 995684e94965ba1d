import { type AlarmWebhook } from './cloudwatch-alarms.js';
import { type ArtifactReader } from './model-package.js';
import { SageMakerHostingBackend } from './sagemaker-hosting.adapter.js';

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

/**
 * The SageMaker backend of a process: the worker drives endpoints with it; the API reads their
 * live CloudWatch statistics with the same one (same settings, same clients).
 */
export function createSageMakerBackend(
  settings: SageMakerBackendSettings,
  deps: {
    artifacts: ArtifactReader;
    workDir: string;
    endpointOptions: (endpoint: string) => Promise<Record<string, unknown> | null>;
  },
): SageMakerHostingBackend {
  const { credentials } = settings;
  const alarmWebhook: AlarmWebhook | undefined = settings.alarmWebhook && {
    url: settings.alarmWebhook.url,
    key: settings.alarmWebhook.key.reveal(),
  };
  return new SageMakerHostingBackend({
    connection: {
      region: settings.region,
      ...(settings.endpointUrl && { endpointUrl: settings.endpointUrl }),
      ...(credentials && {
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey.reveal(),
          ...(credentials.sessionToken && { sessionToken: credentials.sessionToken.reveal() }),
        },
      }),
      maxAttempts: settings.maxAttempts,
    },
    bucket: settings.bucket,
    prefix: settings.prefix,
    artifacts: deps.artifacts,
    workDir: deps.workDir,
    endpointOptions: deps.endpointOptions,
    ...(alarmWebhook && { alarmWebhook }),
    waitSeconds: settings.waitSeconds,
    pollMs: settings.pollMs,
  });
}
