import { type SageMakerBackendDeps, type SageMakerBackendSettings } from '../sagemaker-backend.js';
import { type AlarmWebhook } from './cloudwatch-alarms.js';
import { SageMakerHostingBackend } from './sagemaker-hosting.adapter.js';

/** The SageMaker adapter from a process's settings (loaded on first use by createSageMakerBackend). */
export function buildSageMakerBackend(
  settings: SageMakerBackendSettings,
  deps: SageMakerBackendDeps,
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
