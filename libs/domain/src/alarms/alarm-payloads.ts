import { FledgeError } from '@fledge/errors';

/** One alert, normalised from whichever system sent it. */
export interface AlarmNotice {
  source: 'alertmanager' | 'cloudwatch' | 'fledge';
  name: string;
  state: 'firing' | 'resolved';
  /** The Fledge endpoint the alert is about, from labels or dimensions; null when none matched. */
  endpoint: string | null;
  /** Stable identity of the alert at its source (de-duplication). */
  fingerprint: string;
  summary: string;
  /** The original alert, stored as evidence. */
  payload: Record<string, unknown>;
}

/** Label names (Alertmanager) and dimension names (CloudWatch) that name a Fledge endpoint. */
export const ENDPOINT_LABELS = ['fledge_endpoint', 'endpoint', 'FledgeEndpoint', 'EndpointName'] as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string, field: string): FledgeError {
  return new FledgeError('INVALID_ARGUMENT', message, { reason: 'ALARM_PAYLOAD_INVALID', details: { field } });
}

function str(obj: Json, key: string, field: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') throw invalid(`${field} must be a non-empty string`, field);
  return value;
}

function endpointFrom(labels: Record<string, unknown>): string | null {
  for (const name of ENDPOINT_LABELS) {
    const value = labels[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/**
 * Prometheus Alertmanager's webhook payload (version 4): one notice per alert in the group. The
 * endpoint comes from the alert's labels (`fledge_endpoint` or `endpoint`), else the group's.
 */
export function parseAlertmanagerPayload(body: unknown): AlarmNotice[] {
  if (!isObject(body)) throw invalid('the Alertmanager payload must be a JSON object', 'body');
  if (body.version !== undefined && body.version !== '4') {
    throw invalid(`unsupported Alertmanager webhook version ${JSON.stringify(body.version)} (expected "4")`, 'version');
  }
  if (!Array.isArray(body.alerts)) throw invalid('alerts must be a list', 'alerts');
  const common = isObject(body.commonLabels) ? body.commonLabels : {};
  return body.alerts.map((alert, i) => {
    const field = `alerts[${i}]`;
    if (!isObject(alert)) throw invalid(`${field} must be an object`, field);
    const labels = isObject(alert.labels) ? alert.labels : {};
    const annotations = isObject(alert.annotations) ? alert.annotations : {};
    const status = str(alert, 'status', `${field}.status`);
    if (status !== 'firing' && status !== 'resolved') {
      throw invalid(`${field}.status must be firing or resolved`, `${field}.status`);
    }
    const name = typeof labels.alertname === 'string' && labels.alertname ? labels.alertname : 'unnamed-alert';
    const fingerprint =
      typeof alert.fingerprint === 'string' && alert.fingerprint
        ? alert.fingerprint
        : `${name}:${JSON.stringify(Object.entries(labels).sort())}`;
    const summary = [annotations.summary, annotations.description].find((s) => typeof s === 'string' && s) as
      string | undefined;
    return {
      source: 'alertmanager' as const,
      name,
      state: status,
      endpoint: endpointFrom(labels) ?? endpointFrom(common),
      fingerprint,
      summary: summary ?? `${name} is ${status}`,
      payload: alert,
    };
  });
}

export type SnsMessage =
  | { kind: 'subscription-confirmation'; topicArn: string; subscribeUrl: string }
  | { kind: 'unsubscribe-confirmation'; topicArn: string }
  | { kind: 'notification'; notices: AlarmNotice[] };

/**
 * An Amazon SNS HTTP delivery carrying a CloudWatch alarm state change. ALARM fires, OK resolves;
 * INSUFFICIENT_DATA carries no decision and yields no notice. The endpoint comes from the alarm's
 * metric dimensions (SageMaker's `EndpointName`, or `FledgeEndpoint`).
 */
export function parseSnsCloudWatchPayload(body: unknown): SnsMessage {
  if (!isObject(body)) throw invalid('the SNS message must be a JSON object', 'body');
  const type = str(body, 'Type', 'Type');
  if (type === 'SubscriptionConfirmation') {
    return {
      kind: 'subscription-confirmation',
      topicArn: str(body, 'TopicArn', 'TopicArn'),
      subscribeUrl: str(body, 'SubscribeURL', 'SubscribeURL'),
    };
  }
  if (type === 'UnsubscribeConfirmation')
    return { kind: 'unsubscribe-confirmation', topicArn: str(body, 'TopicArn', 'TopicArn') };
  if (type !== 'Notification') throw invalid(`unsupported SNS message type ${type}`, 'Type');

  let alarm: unknown;
  try {
    alarm = JSON.parse(str(body, 'Message', 'Message'));
  } catch (error) {
    if (FledgeError.is(error)) throw error;
    throw invalid('Message is not a CloudWatch alarm (not JSON)', 'Message');
  }
  if (!isObject(alarm)) throw invalid('Message is not a CloudWatch alarm', 'Message');
  const name = str(alarm, 'AlarmName', 'Message.AlarmName');
  const newState = str(alarm, 'NewStateValue', 'Message.NewStateValue');
  if (newState === 'INSUFFICIENT_DATA') return { kind: 'notification', notices: [] };
  if (newState !== 'ALARM' && newState !== 'OK') {
    throw invalid(`Message.NewStateValue ${newState} is not ALARM, OK or INSUFFICIENT_DATA`, 'Message.NewStateValue');
  }
  const trigger = isObject(alarm.Trigger) ? alarm.Trigger : {};
  const dimensions: Record<string, unknown> = {};
  const collect = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const d of list) {
      // CloudWatch spells the keys in lower case inside SNS messages; accept both.
      if (isObject(d)) dimensions[String(d.name ?? d.Name)] ??= d.value ?? d.Value;
    }
  };
  collect(trigger.Dimensions);
  // A metric-math alarm (e.g. an error rate) carries its metrics, each with its own dimensions.
  if (Array.isArray(trigger.Metrics)) {
    for (const m of trigger.Metrics) {
      const metric = isObject(m) && isObject(m.MetricStat) ? m.MetricStat.Metric : undefined;
      if (isObject(metric)) collect(metric.Dimensions);
    }
  }
  return {
    kind: 'notification',
    notices: [
      {
        source: 'cloudwatch',
        name,
        state: newState === 'ALARM' ? 'firing' : 'resolved',
        endpoint: endpointFrom(dimensions),
        fingerprint: typeof alarm.AlarmArn === 'string' && alarm.AlarmArn ? alarm.AlarmArn : name,
        summary:
          typeof alarm.NewStateReason === 'string' && alarm.NewStateReason
            ? alarm.NewStateReason
            : `${name} is ${newState}`,
        payload: alarm,
      },
    ],
  };
}
