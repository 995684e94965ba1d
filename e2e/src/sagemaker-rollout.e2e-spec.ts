import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DescribeAlarmsCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EndpointDocument, EndpointLiveStatsDocument } from '@fledge/client';
import { SageMakerNames } from '@fledge/hosting';
import { createAwsClients, type AwsClients } from '@fledge/hosting/sagemaker';
import { ensureBucket } from '@fledge/storage';
import {
  awsTestEndpoint,
  SAGEMAKER_FAILING_IMAGE,
  SAGEMAKER_TEST_IMAGE,
  SAGEMAKER_TEST_ROLE,
  sageMakerHistory,
  serverTestEnv,
  ServerProcess,
  snsTestCa,
  startTestApi,
  uniqueName,
  type SageMakerEndpointChange,
  type TestApi,
} from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { FledgeClient, type RolloutView } from './support/fledge-client.js';

const role = SAGEMAKER_TEST_ROLE;
const image = SAGEMAKER_TEST_IMAGE;
const failingImage = SAGEMAKER_FAILING_IMAGE;

/** A change as the test compares it: the event and each variant's weight. */
const change = (c: SageMakerEndpointChange) => ({
  event: c.event,
  production: Object.fromEntries(c.productionVariants.map((v) => [v.name, v.weight])),
  shadow: Object.fromEntries(c.shadowVariants.map((v) => [v.name, v.weight])),
});

// Rollouts on SAGEMAKER endpoints through GraphQL: the api and the worker as processes, Temporal,
// PostgreSQL, and moto (with Fledge's extension) standing in for SageMaker, CloudWatch, SNS and S3
// over HTTP. moto records every endpoint change, so each step is asserted as SageMaker reports it.
describe('rollouts on SageMaker endpoints (api and worker as processes; moto for AWS)', () => {
  let awsEndpoint: string;
  let aws: AwsClients;
  let api: TestApi;
  let worker: ServerProcess;
  let client: FledgeClient;
  let work: string;
  let workerEnv: Record<string, string>;
  const model = uniqueName('digits');
  const endpoint = uniqueName('sm');
  const bucket = uniqueName('fledge-sm-e2e');

  const variantName = (version: number) => `${model}-v${version}`;
  const policy = (overrides: Record<string, unknown> = {}) => ({
    shadow: { sampleRate: 0.5, durationSeconds: 0, minSamples: 0 },
    canary: {
      steps: [
        { weight: 25, bakeSeconds: 1 },
        { weight: 50, bakeSeconds: 1 },
      ],
    },
    slo: { minSamples: 0, windowSeconds: 60 },
    checkIntervalSeconds: 1,
    promote: { bakeSeconds: 0 },
    ...overrides,
  });
  /** One long canary step (the test acts while it bakes) with these SLOs. */
  const longCanary = (weight: number, slo: Record<string, unknown>) =>
    policy({
      shadow: { enabled: false },
      canary: { steps: [{ weight, bakeSeconds: 600 }] },
      slo: { windowSeconds: 60, ...slo },
    });
  const start = (
    mutation: 'promote' | 'deployModelVersion',
    name: string,
    version: number,
    p: Record<string, unknown>,
  ) => client.startRollout(mutation, { endpoint: name, model, version, policy: p });
  const finished = (id: string) => client.waitFor(id, () => false, 180_000);
  const eventsOf = (view: RolloutView, type: string) => view.events.filter((e) => e.type === type);
  /** Waits until the rollout has applied `stepKey`'s traffic (it bakes there long enough to act). */
  const applied = (id: string, stepKey: string) =>
    client.waitFor(id, (r) => r.events.some((e) => e.type === 'traffic.applied' && e.detail.stepKey === stepKey));

  beforeAll(async () => {
    awsEndpoint = await awsTestEndpoint();
    work = await mkdtemp(path.join(tmpdir(), 'fledge-sm-e2e-'));
    aws = createAwsClients({
      region: 'us-east-1',
      endpointUrl: awsEndpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
    });
    await ensureBucket(aws.s3, bucket);
    const caFile = path.join(work, 'sns-ca.pem');
    await writeFile(caFile, await snsTestCa(awsEndpoint));

    const env = serverTestEnv({
      FLEDGE_MODE: 'distributed',
      FLEDGE_LOG_LEVEL: 'warn',
      FLEDGE_TEMPORAL_TASK_QUEUE: uniqueName('fledge-sm'),
      FLEDGE_SERVING_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      FLEDGE_SAGEMAKER_ROLE_ARN: role,
      FLEDGE_SAGEMAKER_IMAGE: image,
      // The package bucket turns the SageMaker backend on, in the worker and in the API (live statistics).
      FLEDGE_SAGEMAKER_BUCKET: bucket,
      FLEDGE_SAGEMAKER_ENDPOINT_URL: awsEndpoint,
      // The API's SNS signature check trusts moto's loopback certificate URLs and the test CA.
      FLEDGE_SNS_CERT_HOSTS: new URL(awsEndpoint).host,
      FLEDGE_SNS_CA_FILE: caFile,
    });
    api = await startTestApi({ ...env, FLEDGE_DATA_DIR: path.join(work, 'api') });
    client = new FledgeClient(api, api.keys.engineer);
    workerEnv = {
      ...env,
      FLEDGE_DATA_DIR: path.join(work, 'worker'),
      FLEDGE_LOG_LEVEL: 'info',
      FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL: `${api.url}/webhooks/sns`,
      // The role that may only raise alarms.
      FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY: api.keys.alerts,
      FLEDGE_SAGEMAKER_POLL_MS: '100',
    };
    worker = await ServerProcess.start({
      name: 'worker',
      entry: 'apps/worker/src/main.ts',
      env: workerEnv,
      ready: async (self) => self.runLogs().includes('worker started'),
    });

    const admin = new FledgeClient(api, api.keys.admin);
    await admin.createModel({ name: model, task: 'CLASSIFICATION', modality: 'IMAGE' });
    const labels = Array.from({ length: 10 }, (_, i) => String(i));
    for (const name of ['digits-mlp', 'digits-mlp-v2', 'digits-mlp-slow', 'digits-mlp-wrong'] as const) {
      await admin.registerModelVersion(model, (await getModel(name)).onnx, { labels, trainedAs: name });
    }
    await client.createEndpoint({
      name: endpoint,
      backend: 'SAGEMAKER',
      options: { instanceType: 'ml.m5.large', tags: { team: 'e2e' } },
    });
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('creates the SageMaker endpoint with the API defaults filled in, and refuses bad options before AWS sees them', async () => {
    const data = await client.typed.request(EndpointDocument, { name: endpoint, alarms: 1 });
    expect(data.endpoint).toMatchObject({
      backend: 'SAGEMAKER',
      options: {
        region: 'us-east-1',
        executionRoleArn: role,
        image,
        instanceType: 'ml.m5.large',
        tags: { team: 'e2e' },
      },
      inferenceUrl: `https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/${endpoint}/invocations`,
    });
    const refused = client.createEndpoint({
      name: uniqueName('bad'),
      backend: 'SAGEMAKER',
      options: { executionRoleArn: 'role/not-an-arn' },
    });
    await expect(refused).rejects.toMatchObject({
      message: expect.stringContaining('executionRoleArn must be an IAM role ARN'),
      code: 'INVALID_ARGUMENT',
    });
  });

  it('deploys v1, then promotes v2 through shadow and canary steps to 100%, as SageMaker reports each step', async () => {
    const deployed = await finished(await start('deployModelVersion', endpoint, 1, policy()));
    expect(deployed.state).toBe('SUCCEEDED');
    const promoted = await finished(await start('promote', endpoint, 2, policy()));
    expect(promoted.state).toBe('SUCCEEDED');

    const [v1, v2] = [variantName(1), variantName(2)];
    expect((await sageMakerHistory(awsEndpoint, endpoint)).map(change)).toEqual([
      { event: 'CreateEndpoint', production: { [v1]: 100 }, shadow: {} },
      // Shadow: a new configuration mirrors 50% of v1's traffic to v2.
      { event: 'UpdateEndpoint', production: { [v1]: 100 }, shadow: { [v2]: 50 } },
      // Canary steps: a configuration with both as production variants, then weights only.
      { event: 'UpdateEndpoint', production: { [v1]: 75, [v2]: 25 }, shadow: {} },
      { event: 'UpdateEndpointWeightsAndCapacities', production: { [v1]: 50, [v2]: 50 }, shadow: {} },
      { event: 'UpdateEndpointWeightsAndCapacities', production: { [v1]: 0, [v2]: 100 }, shadow: {} },
      // Final: v2 alone.
      { event: 'UpdateEndpoint', production: { [v2]: 100 }, shadow: {} },
    ]);
    expect(await client.variants(endpoint)).toEqual([{ name: v2, role: 'primary', weight: 100 }]);
    // The alarms that watched the candidate are gone with the rollout.
    const names = new SageMakerNames(endpoint);
    expect(
      (await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: names.alarmPrefix() }))).MetricAlarms,
    ).toEqual([]);
  });

  it('rolls back to the baseline weights when CloudWatch metrics (as SageMaker emits them) breach the SLO', async () => {
    const before = (await sageMakerHistory(awsEndpoint, endpoint)).length;
    const id = await start('promote', endpoint, 3, longCanary(50, { maxP99LatencyMs: 100, minSamples: 10 }));
    await applied(id, 'canary-1');
    // A slow candidate: 50 requests at ~500 ms, the baseline at ~5 ms, stamped a moment ago.
    const at = new Date(Date.now() - 1000);
    const metrics = (variant: string, latencyUs: number) => {
      const dimensions = [
        { Name: 'EndpointName', Value: endpoint },
        { Name: 'VariantName', Value: variant },
      ];
      return new PutMetricDataCommand({
        Namespace: 'AWS/SageMaker',
        MetricData: [
          {
            MetricName: 'ModelLatency',
            Dimensions: dimensions,
            Timestamp: at,
            Unit: 'Microseconds',
            Values: [latencyUs],
            Counts: [50],
          },
          { MetricName: 'Invocations', Dimensions: dimensions, Timestamp: at, Unit: 'None', Value: 50 },
          { MetricName: 'Invocation5XXErrors', Dimensions: dimensions, Timestamp: at, Unit: 'None', Value: 0 },
          { MetricName: 'Invocation4XXErrors', Dimensions: dimensions, Timestamp: at, Unit: 'None', Value: 0 },
        ],
      });
    };
    await aws.cloudwatch.send(metrics(variantName(2), 5_000));
    await aws.cloudwatch.send(metrics(variantName(3), 500_000));

    const view = await finished(id);
    expect(view.state).toBe('ROLLED_BACK');
    expect(view.reason).toMatch(/SLO breach during canary/);
    expect(view.reason).toMatch(/p99/);
    const failed = eventsOf(view, 'slo.window').find((e) => e.detail.verdict === 'fail')!;
    expect(failed.detail).toMatchObject({ hard: true, latency: { method: 'percentile' } });
    expect(failed.detail.candidate).toMatchObject({
      variant: variantName(3),
      requests: 50,
      p99Ms: 500,
      source: 'cloudwatch',
    });

    const [v2, v3] = [variantName(2), variantName(3)];
    expect((await sageMakerHistory(awsEndpoint, endpoint)).slice(before).map(change)).toEqual([
      { event: 'UpdateEndpoint', production: { [v2]: 50, [v3]: 50 }, shadow: {} },
      // Rollback: the baseline's weights first (no new configuration), then the candidate removed.
      { event: 'UpdateEndpointWeightsAndCapacities', production: { [v2]: 100, [v3]: 0 }, shadow: {} },
      { event: 'UpdateEndpoint', production: { [v2]: 100 }, shadow: {} },
    ]);
    expect(await client.variants(endpoint)).toEqual([{ name: v2, role: 'primary', weight: 100 }]);

    // The API reads the same CloudWatch metrics for the console's live statistics.
    const { endpoint: live } = await client.typed.request(EndpointLiveStatsDocument, {
      name: endpoint,
      windowSeconds: 600,
    });
    expect(live?.liveStats.variants).toEqual([
      expect.objectContaining({ variant: v2, requests: 50, p99Ms: 5, errorRate: 0 }),
    ]);
  });

  it('rolls the canary back when its CloudWatch alarm fires and SNS delivers it to the webhook', async () => {
    const id = await start('promote', endpoint, 4, longCanary(10, { maxP99LatencyMs: 250, minSamples: 0 }));
    await applied(id, 'canary-1');
    const names = new SageMakerNames(endpoint);
    const { MetricAlarms } = await aws.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `${names.alarmPrefix()}${variantName(4)}/` }),
    );
    const latency = MetricAlarms!.find((a) => a.AlarmName!.endsWith('/p99-latency'))!;
    expect(latency).toMatchObject({ Threshold: 250_000, ExtendedStatistic: 'p99' });
    // CloudWatch's state change → SNS → POST /webhooks/sns on the API → the rollout's alarm signal.
    await aws.cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: latency.AlarmName,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: p99 > 250 ms',
      }),
    );

    const view = await finished(id);
    expect(view.state).toBe('ROLLED_BACK');
    expect(view.reason).toBe(`alarm ${latency.AlarmName} from cloudwatch`);
    expect(eventsOf(view, 'signal.received')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ detail: expect.objectContaining({ source: 'cloudwatch', action: 'rollback' }) }),
      ]),
    );
    expect(await client.variants(endpoint)).toEqual([{ name: variantName(2), role: 'primary', weight: 100 }]);
    expect(
      (await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: names.alarmPrefix() }))).MetricAlarms,
    ).toEqual([]);
  });

  it("ends ROLLED_BACK with SageMaker's FailureReason when the endpoint fails, and with AWS's words for an unknown instance type", async () => {
    const cases = [
      {
        options: { image: failingImage },
        reason: /failed: The primary container for production variant .* did not pass the ping health check/,
      },
      {
        options: { instanceType: 'ml.huge.giant' },
        reason: /Value 'ml.huge.giant' at 'instanceType' failed to satisfy constraint/,
      },
    ];
    for (const { options, reason } of cases) {
      const name = uniqueName('sm-bad');
      await client.createEndpoint({ name, backend: 'SAGEMAKER', options });
      const view = await finished(await start('deployModelVersion', name, 1, policy()));
      expect(view.state).toBe('ROLLED_BACK');
      expect(view.reason).toMatch(reason);
      // Nothing Fledge made for the failed step is left running.
      const history = await sageMakerHistory(awsEndpoint, name);
      expect(history.at(-1)?.event ?? 'none').toMatch(/^(DeleteEndpoint|none)$/);
      expect(await client.variants(name)).toEqual([]);
    }
  });

  it('refuses to start a SageMaker worker without AWS credentials, naming the settings', async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutCredentials } = workerEnv;
    const boot = ServerProcess.start({
      name: 'worker-without-credentials',
      entry: 'apps/worker/src/main.ts',
      env: {
        ...withoutCredentials,
        // The artifact store reads the same variables: keep it local so only SageMaker needs AWS.
        FLEDGE_ARTIFACT_STORE: 'local',
        FLEDGE_DATA_DIR: path.join(work, 'worker-no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'),
        AWS_CONFIG_FILE: path.join(work, 'none'),
      },
      ready: async (self) => self.runLogs().includes('worker started'),
    });
    await expect(boot).rejects.toThrow(/exited with code 78[\s\S]*AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
  });
});
