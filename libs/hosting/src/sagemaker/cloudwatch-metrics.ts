import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';

import { type HostedVariantRole, type HostedVariantStats, type StatsWindow } from '../hosting-backend.js';
import { aws } from './aws-errors.js';

/** A variant as the metrics query needs it (from the endpoint's described state). */
export interface MeteredVariant {
  variantName: string;
  role: HostedVariantRole;
  weight: number;
  modelVersionId: string;
}

const NAMESPACE = 'AWS/SageMaker';
/** SageMaker publishes its endpoint metrics once a minute. */
const PERIOD_SECONDS = 60;
const LATENCY_STATS = { p50: 'p50', p95: 'p95', p99: 'p99', max: 'Maximum' } as const;
const COUNTS = {
  requests: 'Invocations',
  serverErrors: 'Invocation5XXErrors',
  clientErrors: 'Invocation4XXErrors',
} as const;

type Series = Map<string, number[]>;

/**
 * Live SLO windows of a SageMaker endpoint's variants from CloudWatch (`GetMetricData` on the
 * `AWS/SageMaker` metrics SageMaker emits per `EndpointName` and `VariantName`):
 * `Invocations` → requests, `Invocation5XXErrors` → errors (the error budget),
 * `Invocation4XXErrors` → clientErrors, `ModelLatency` (µs) p50/p95/p99/Maximum → milliseconds.
 * CloudWatch keeps no per-request samples, so there is no `latency` distribution, and it cannot
 * compare shadow predictions with the primary's (`agreement` is null). A window spanning several
 * one-minute datapoints adds the counts and keeps the highest percentile of any minute (an upper
 * bound: CloudWatch cannot merge percentiles exactly).
 */
export class CloudWatchVariantMetrics {
  constructor(private readonly now: () => Date = () => new Date()) {}

  async windowStats(
    cloudwatch: CloudWatchClient,
    endpoint: string,
    variants: MeteredVariant[],
    window: StatsWindow,
  ): Promise<HostedVariantStats[]> {
    if (variants.length === 0) return [];
    // CloudWatch takes whole seconds (EndTime exclusive): round up so datapoints stamped now count.
    const end = new Date(Math.ceil(this.now().getTime() / 1000) * 1000);
    const start = 'since' in window ? window.since : new Date(end.getTime() - window.seconds * 1000);
    const seconds = Math.max(1, (end.getTime() - start.getTime()) / 1000);
    const period = Math.ceil(seconds / PERIOD_SECONDS) * PERIOD_SECONDS;
    const queries: MetricDataQuery[] = variants.flatMap((variant, i) => {
      const metric = (metricName: string) => ({
        Namespace: NAMESPACE,
        MetricName: metricName,
        Dimensions: [
          { Name: 'EndpointName', Value: endpoint },
          { Name: 'VariantName', Value: variant.variantName },
        ],
      });
      return [
        ...Object.entries(LATENCY_STATS).map(([id, stat]) => ({
          Id: `v${i}_${id}`,
          MetricStat: { Metric: metric('ModelLatency'), Period: period, Stat: stat },
          ReturnData: true,
        })),
        ...Object.entries(COUNTS).map(([id, metricName]) => ({
          Id: `v${i}_${id}`,
          MetricStat: { Metric: metric(metricName), Period: period, Stat: 'Sum' },
          ReturnData: true,
        })),
      ];
    });
    const series: Series = new Map();
    let nextToken: string | undefined;
    do {
      const page = await aws(`CloudWatch GetMetricData for ${endpoint}`, () =>
        cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
          }),
        ),
      );
      for (const result of page.MetricDataResults ?? []) {
        const values = (result.Values ?? []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        series.set(result.Id!, [...(series.get(result.Id!) ?? []), ...values]);
      }
      nextToken = page.NextToken;
    } while (nextToken);

    return variants.map((variant, i) => {
      const sum = (id: string) => (series.get(`v${i}_${id}`) ?? []).reduce((a, b) => a + b, 0);
      const highestMs = (id: string) => Math.max(0, ...(series.get(`v${i}_${id}`) ?? [])) / 1000;
      const requests = sum('requests');
      const errors = sum('serverErrors');
      const clientErrors = sum('clientErrors');
      const shadow = variant.role === 'shadow';
      return {
        variant: variant.variantName,
        role: variant.role,
        weight: variant.weight,
        modelVersionId: variant.modelVersionId,
        source: 'cloudwatch' as const,
        requests,
        errors,
        clientErrors,
        errorsByKind: { '5xx': errors, '4xx': clientErrors },
        p50Ms: highestMs('p50'),
        p95Ms: highestMs('p95'),
        p99Ms: highestMs('p99'),
        maxMs: highestMs('max'),
        ...(shadow && { shadowSamples: requests, agreement: null, shadowDrops: 0 }),
        meanAbsDiff: null,
      };
    });
  }
}
