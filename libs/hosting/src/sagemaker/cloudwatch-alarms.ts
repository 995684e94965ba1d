import {
  DeleteAlarmsCommand,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';

import { type WatchedVariant } from '../hosting-backend.js';
import { aws } from './aws-errors.js';
import { type SageMakerNames } from './sagemaker-names.js';

/** Fledge's SNS webhook (`POST /webhooks/sns` on the API) and the `alerts` key SNS presents. */
export interface AlarmWebhook {
  url: string;
  key: string;
}

export interface AlarmClients {
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
}

/** The SNS user name of the webhook's Basic auth; the API authenticates by the password (the key). */
const WEBHOOK_USER = 'fledge-alerts';

/**
 * CloudWatch alarms on a rollout's candidate variant (p99 `ModelLatency` and the 5XX error rate),
 * whose actions publish to an SNS topic per endpoint that delivers to Fledge's SNS webhook: a
 * firing alarm rolls the canary back through the webhook → alarm signal path, and OK resolves it.
 * Alarms of variants no longer watched are deleted. Without a webhook, no alarms are made (the
 * rollout's own SLO checks still read CloudWatch).
 */
export class CloudWatchAlarms {
  constructor(private readonly webhook: AlarmWebhook | null) {}

  /** Makes the endpoint's alarms exactly those of `watch` (none when null). */
  async watch(clients: AlarmClients, names: SageMakerNames, watch: WatchedVariant | null): Promise<string[]> {
    const wanted: string[] = [];
    if (watch && this.webhook) {
      const topicArn = await this.ensureTopic(clients.sns, names, this.webhook);
      for (const input of this.alarmsFor(names, watch, topicArn)) {
        await aws(`CloudWatch PutMetricAlarm ${input.AlarmName}`, () =>
          clients.cloudwatch.send(new PutMetricAlarmCommand(input)),
        );
        wanted.push(input.AlarmName!);
      }
    }
    await this.deleteAlarms(clients.cloudwatch, names, (name) => !wanted.includes(name));
    return wanted;
  }

  /** Deletes every alarm of the endpoint and its topic (the endpoint is gone). */
  async removeAll(clients: AlarmClients, names: SageMakerNames): Promise<void> {
    await this.deleteAlarms(clients.cloudwatch, names, () => true);
    // CreateTopic is idempotent and returns the ARN, so the topic's ARN comes without a listing.
    const { TopicArn } = await aws(`SNS CreateTopic ${names.topic()}`, () =>
      clients.sns.send(new CreateTopicCommand({ Name: names.topic() })),
    );
    if (TopicArn)
      await aws(`SNS DeleteTopic ${TopicArn}`, () => clients.sns.send(new DeleteTopicCommand({ TopicArn })));
  }

  private async ensureTopic(sns: SNSClient, names: SageMakerNames, webhook: AlarmWebhook): Promise<string> {
    const { TopicArn } = await aws(`SNS CreateTopic ${names.topic()}`, () =>
      sns.send(
        new CreateTopicCommand({
          Name: names.topic(),
          Tags: [{ Key: 'fledge:endpoint', Value: names.endpoint }],
        }),
      ),
    );
    const endpoint = new URL(webhook.url);
    endpoint.username = WEBHOOK_USER;
    endpoint.password = webhook.key;
    // Subscribing the same endpoint again returns the existing subscription (SNS is idempotent here).
    await aws(`SNS Subscribe ${names.topic()}`, () =>
      sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: endpoint.protocol.replace(/:$/, ''),
          Endpoint: endpoint.toString(),
          ReturnSubscriptionArn: true,
        }),
      ),
    );
    return TopicArn!;
  }

  private alarmsFor(names: SageMakerNames, watch: WatchedVariant, topicArn: string) {
    const dimensions: Dimension[] = [
      { Name: 'EndpointName', Value: names.endpoint },
      { Name: 'VariantName', Value: watch.variantName },
    ];
    const common = {
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanThreshold' as const,
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: [topicArn],
      OKActions: [topicArn],
      Tags: [
        { Key: 'fledge:endpoint', Value: names.endpoint },
        { Key: 'fledge:rollout', Value: watch.rolloutId },
      ],
    };
    const metric = (metricName: string) => ({
      Namespace: 'AWS/SageMaker',
      MetricName: metricName,
      Dimensions: dimensions,
    });
    const alarms = [
      {
        ...common,
        AlarmName: names.alarm(watch.variantName, 'error-rate'),
        AlarmDescription: `Fledge rollout ${watch.rolloutId}: 5XX error rate of ${watch.variantName} on ${names.endpoint} above ${watch.maxErrorRate}`,
        Threshold: watch.maxErrorRate,
        Metrics: [
          {
            Id: 'errors',
            MetricStat: { Metric: metric('Invocation5XXErrors'), Period: 60, Stat: 'Sum' },
            ReturnData: false,
          },
          { Id: 'requests', MetricStat: { Metric: metric('Invocations'), Period: 60, Stat: 'Sum' }, ReturnData: false },
          {
            Id: 'rate',
            Expression: 'IF(requests > 0, errors / requests, 0)',
            Label: '5XX error rate',
            ReturnData: true,
          },
        ],
      },
    ];
    if (watch.maxP99LatencyMs === null) return alarms;
    return [
      {
        ...common,
        AlarmName: names.alarm(watch.variantName, 'p99-latency'),
        AlarmDescription: `Fledge rollout ${watch.rolloutId}: p99 latency of ${watch.variantName} on ${names.endpoint} above ${watch.maxP99LatencyMs} ms`,
        ...metric('ModelLatency'),
        ExtendedStatistic: 'p99',
        Period: 60,
        // ModelLatency is in microseconds.
        Threshold: watch.maxP99LatencyMs * 1000,
      },
      ...alarms,
    ];
  }

  private async deleteAlarms(cloudwatch: CloudWatchClient, names: SageMakerNames, remove: (name: string) => boolean) {
    const doomed: string[] = [];
    const pages = paginateDescribeAlarms({ client: cloudwatch }, { AlarmNamePrefix: names.alarmPrefix() });
    await aws(`CloudWatch DescribeAlarms ${names.alarmPrefix()}`, async () => {
      for await (const page of pages) {
        for (const alarm of page.MetricAlarms ?? []) {
          if (alarm.AlarmName?.startsWith(names.alarmPrefix()) && remove(alarm.AlarmName)) doomed.push(alarm.AlarmName);
        }
      }
    });
    for (let i = 0; i < doomed.length; i += 100) {
      const batch = doomed.slice(i, i + 100);
      await aws(`CloudWatch DeleteAlarms ${batch.join(', ')}`, () =>
        cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: batch })),
      );
    }
  }
}
