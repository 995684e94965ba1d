import { describe, expect, it } from '@jest/globals';

import { parseAlertmanagerPayload, parseSnsCloudWatchPayload } from './alarm-payloads.js';

// Shape from the Alertmanager documentation (webhook_config, version 4).
const alertmanager = {
  version: '4',
  groupKey: '{}:{alertname="FledgeHighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'fledge',
  groupLabels: { alertname: 'FledgeHighLatency' },
  commonLabels: { alertname: 'FledgeHighLatency', severity: 'page' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'FledgeHighLatency', endpoint: 'digits', variant: 'digits-v2' },
      annotations: { summary: 'p99 above 50 ms for 2 minutes' },
      startsAt: '2026-11-23T12:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'a1b2c3',
    },
    {
      status: 'resolved',
      labels: { alertname: 'FledgeErrors', fledge_endpoint: 'spam' },
      annotations: {},
      startsAt: '2026-11-23T11:00:00Z',
      endsAt: '2026-11-23T11:30:00Z',
      fingerprint: 'd4e5f6',
    },
  ],
};

// Shape from the Amazon SNS and CloudWatch documentation (HTTP/S notification of an alarm).
const cloudwatchAlarm = {
  AlarmName: 'digits-model-latency',
  AlarmDescription: null,
  AWSAccountId: '123456789012',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 datapoint [120000.0] was greater than the threshold (100000.0).',
  StateChangeTime: '2026-11-23T12:00:00.000+0000',
  Region: 'US East (N. Virginia)',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:digits-model-latency',
  OldStateValue: 'OK',
  Trigger: {
    MetricName: 'ModelLatency',
    Namespace: 'AWS/SageMaker',
    Statistic: 'AVERAGE',
    Dimensions: [
      { value: 'digits', name: 'EndpointName' },
      { value: 'digits-v2', name: 'VariantName' },
    ],
    Period: 60,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 100000.0,
  },
};
const sns = (message: unknown, type = 'Notification') => ({
  Type: type,
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:fledge-alarms',
  Subject: 'ALARM: "digits-model-latency" in US East (N. Virginia)',
  Message: typeof message === 'string' ? message : JSON.stringify(message),
  Timestamp: '2026-11-23T12:00:00.000Z',
  SignatureVersion: '1',
  Signature: 'EXAMPLE',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
  UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
});

describe(parseAlertmanagerPayload.name, () => {
  it('normalises each alert and finds its endpoint in the labels', () => {
    const sut = parseAlertmanagerPayload(alertmanager);
    expect(sut.map(({ payload: _p, ...n }) => n)).toEqual([
      {
        source: 'alertmanager',
        name: 'FledgeHighLatency',
        state: 'firing',
        endpoint: 'digits',
        fingerprint: 'a1b2c3',
        summary: 'p99 above 50 ms for 2 minutes',
      },
      {
        source: 'alertmanager',
        name: 'FledgeErrors',
        state: 'resolved',
        endpoint: 'spam',
        fingerprint: 'd4e5f6',
        summary: 'FledgeErrors is resolved',
      },
    ]);
  });

  it('refuses payloads that are not Alertmanager webhooks, naming the field', () => {
    expect(() => parseAlertmanagerPayload([])).toThrow('the Alertmanager payload must be a JSON object');
    expect(() => parseAlertmanagerPayload({ version: '3', alerts: [] })).toThrow(
      'unsupported Alertmanager webhook version',
    );
    expect(() => parseAlertmanagerPayload({ alerts: [{ status: 'pending' }] })).toThrow(
      'alerts[0].status must be firing or resolved',
    );
  });
});

describe(parseSnsCloudWatchPayload.name, () => {
  it('turns an ALARM state change into a firing notice for the endpoint in the dimensions', () => {
    const sut = parseSnsCloudWatchPayload(sns(cloudwatchAlarm));
    expect(sut.kind).toBe('notification');
    expect(sut.kind === 'notification' && sut.notices[0]).toMatchObject({
      source: 'cloudwatch',
      name: 'digits-model-latency',
      state: 'firing',
      endpoint: 'digits',
      fingerprint: cloudwatchAlarm.AlarmArn,
    });
  });

  it('finds the endpoint in the metrics of a metric-math alarm (an error rate)', () => {
    const rate = {
      ...cloudwatchAlarm,
      AlarmName: 'fledge/digits/digits-v2/error-rate',
      Trigger: {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0.01,
        Metrics: [
          { Id: 'rate', Expression: 'IF(requests > 0, errors / requests, 0)', ReturnData: true },
          {
            Id: 'errors',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/SageMaker',
                MetricName: 'Invocation5XXErrors',
                Dimensions: [
                  { value: 'digits', name: 'EndpointName' },
                  { value: 'digits-v2', name: 'VariantName' },
                ],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      },
    };
    const sut = parseSnsCloudWatchPayload(sns(rate));
    expect(sut.kind === 'notification' && sut.notices[0]).toMatchObject({ endpoint: 'digits', state: 'firing' });
  });

  it('resolves on OK and ignores INSUFFICIENT_DATA', () => {
    const ok = parseSnsCloudWatchPayload(sns({ ...cloudwatchAlarm, NewStateValue: 'OK' }));
    expect(ok.kind === 'notification' && ok.notices[0].state).toBe('resolved');
    expect(parseSnsCloudWatchPayload(sns({ ...cloudwatchAlarm, NewStateValue: 'INSUFFICIENT_DATA' }))).toEqual({
      kind: 'notification',
      notices: [],
    });
  });

  it('recognises subscription confirmations and refuses malformed messages', () => {
    const confirm = {
      ...sns('x', 'SubscriptionConfirmation'),
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    };
    expect(parseSnsCloudWatchPayload(confirm)).toMatchObject({ kind: 'subscription-confirmation' });
    expect(() => parseSnsCloudWatchPayload(sns('not json'))).toThrow('Message is not a CloudWatch alarm (not JSON)');
    expect(() => parseSnsCloudWatchPayload(sns({ AlarmName: 'x' }))).toThrow(
      'Message.NewStateValue must be a non-empty string',
    );
    expect(() => parseSnsCloudWatchPayload({ Type: 'Bogus' })).toThrow('unsupported SNS message type Bogus');
  });
});
