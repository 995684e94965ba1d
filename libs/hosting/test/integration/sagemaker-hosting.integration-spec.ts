import { createHash, verify, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DescribeAlarmsCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createSageMakerBackend,
  SageMakerNames,
  type AwsConnection,
  type DesiredVariant,
  type WatchedVariant,
} from '@fledge/hosting';
import { createAwsClients, SageMakerHostingBackend, type AwsClients } from '@fledge/hosting/sagemaker';
import { ensureBucket, LocalArtifactStore, modelVersionArtifactKey } from '@fledge/storage';
import {
  awsTestEndpoint,
  injectAwsFault,
  SAGEMAKER_FAILING_IMAGE,
  SAGEMAKER_TEST_IMAGE,
  SAGEMAKER_TEST_ROLE,
  snsTestCa,
  uniqueName,
} from '@fledge/testing';
import { getModel } from '@fledge/trainer';

const role = SAGEMAKER_TEST_ROLE;
const image = SAGEMAKER_TEST_IMAGE;
const failingImage = SAGEMAKER_FAILING_IMAGE;

interface Version {
  id: string;
  version: number;
  uri: string;
  sha256: string;
}

interface SnsDelivery {
  body: Record<string, string>;
  authorization: string | undefined;
}

/** SNS's canonical string (the fields in AWS's order, `name\nvalue\n`, Subject only when present). */
function canonical(message: Record<string, string>): string {
  const fields =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields
    .filter((k) => message[k] !== undefined)
    .map((k) => `${k}\n${message[k]}\n`)
    .join('');
}

// The SageMaker backend against moto over HTTP with the real SDK clients (moto runs with Fledge's
// extension: UpdateEndpoint, shadow variants, Creating/Updating transitions, a failing image,
// CloudWatch percentiles and alarm actions, signed SNS deliveries, injected faults).
describe('SageMakerHostingBackend (moto over HTTP)', () => {
  let awsEndpoint: string;
  let connection: AwsConnection;
  let clients: AwsClients;
  let backend: SageMakerHostingBackend;
  let work: string;
  let webhook: Server;
  let webhookUrl: string;
  const deliveries: SnsDelivery[] = [];
  const deliveryWaiters: (() => void)[] = [];
  const bucket = uniqueName('fledge-sm-test');
  const endpointOptions = new Map<string, Record<string, unknown>>();
  const webhookKey = 'alerts-key-0123456789abcdefghij';
  let v1: Version;
  let v2: Version;

  const variant = (v: Version, role: DesiredVariant['role'], weight: number, rate = 0): DesiredVariant => ({
    variantName: `digits-v${v.version}`,
    modelVersionId: v.id,
    modelName: 'digits',
    version: v.version,
    artifactUri: v.uri,
    sha256: v.sha256,
    role,
    weight,
    shadowSampleRate: rate,
  });

  const newEndpoint = (prefix: string, options: Record<string, unknown> = {}): string => {
    const name = uniqueName(prefix);
    endpointOptions.set(name, { region: 'us-east-1', executionRoleArn: role, image, ...options });
    return name;
  };

  const describeEndpoint = (name: string) =>
    clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
  const describeConfig = (name: string) =>
    clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }));
  const configsOf = async (endpoint: string) => {
    const names = new SageMakerNames(endpoint);
    const { EndpointConfigs } = await clients.sagemaker.send(
      new ListEndpointConfigsCommand({ NameContains: names.configPrefix(), MaxResults: 100 }),
    );
    return (EndpointConfigs ?? []).map((c) => c.EndpointConfigName!).filter((c) => names.isConfig(c));
  };
  const modelsOf = async (endpoint: string) => {
    const names = new SageMakerNames(endpoint);
    const { Models } = await clients.sagemaker.send(new ListModelsCommand({ MaxResults: 100 }));
    return (Models ?? []).map((m) => m.ModelName!).filter((m) => names.isModel(m));
  };
  const weights = async (name: string) =>
    Object.fromEntries(
      ((await describeEndpoint(name)).ProductionVariants ?? []).map((v) => [v.VariantName, v.CurrentWeight ?? 0]),
    );

  beforeAll(async () => {
    awsEndpoint = await awsTestEndpoint();
    connection = {
      region: 'us-east-1',
      endpointUrl: awsEndpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 4,
    };
    clients = createAwsClients(connection);
    await ensureBucket(clients.s3, bucket);
    work = await mkdtemp(path.join(tmpdir(), 'fledge-sagemaker-'));
    const store = new LocalArtifactStore(path.join(work, 'artifacts'));
    await store.ensureReady();
    const stored: Version[] = [];
    for (const [i, name] of (['digits-mlp', 'digits-mlp-v2'] as const).entries()) {
      const model = await getModel(name);
      const id = `0000000${i + 1}-0000-7000-8000-000000000000`;
      const put = await store.put(modelVersionArtifactKey('00000000-0000-7000-8000-0000000000aa', id), model.onnx);
      stored.push({ id, version: i + 1, uri: put.uri, sha256: put.sha256 });
    }
    [v1, v2] = stored;

    webhook = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        deliveries.push({ body: JSON.parse(text) as Record<string, string>, authorization: req.headers.authorization });
        res.writeHead(200).end('{}');
        deliveryWaiters.splice(0).forEach((wake) => wake());
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhooks/sns`;

    backend = new SageMakerHostingBackend({
      connection,
      bucket,
      prefix: 'packages',
      artifacts: store,
      workDir: path.join(work, 'scratch'),
      endpointOptions: async (name) => endpointOptions.get(name) ?? null,
      alarmWebhook: { url: webhookUrl, key: webhookKey },
      waitSeconds: 60,
      pollMs: 50,
    });
  });

  afterAll(async () => {
    backend?.close();
    await new Promise((resolve) => webhook?.close(resolve));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('verifies its credentials and bucket at start', async () => {
    await expect(backend.verifyAccess()).resolves.toBeUndefined();
  });

  it("is the process's backend built from its settings, the adapter loaded on first use", async () => {
    const settingsOf = (bucketName: string) => ({
      region: connection.region,
      bucket: bucketName,
      prefix: 'packages',
      endpointUrl: awsEndpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: { reveal: () => 'test' } },
      waitSeconds: 60,
      pollMs: 50,
      maxAttempts: 2,
    });
    const deps = {
      artifacts: { get: () => Promise.reject(new Error('unused')), head: () => Promise.reject(new Error('unused')) },
      workDir: work,
      endpointOptions: async () => null,
    };
    // Closing one that never loaded the adapter is a no-op.
    createSageMakerBackend(settingsOf(bucket), deps).close();

    const sut = createSageMakerBackend(settingsOf(bucket), deps);
    const missing = createSageMakerBackend(settingsOf(uniqueName('missing-bucket')), deps);
    try {
      expect(sut.kind).toBe('sagemaker');
      await expect(sut.verifyAccess()).resolves.toBeUndefined();
      // An endpoint the registry does not know is refused as the adapter refuses it.
      await expect(sut.describeEndpoint(uniqueName('never-created'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(sut.variantStats(uniqueName('never-created'), { seconds: 60 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(missing.verifyAccess()).rejects.toMatchObject({ reason: 'SAGEMAKER_BUCKET_MISSING' });
    } finally {
      sut.close();
      missing.close();
    }
  });

  it('drives a rollout: new configurations for new variant sets, weight updates for canary steps and rollback', async () => {
    const name = newEndpoint('web', { roles: { canary: { instanceCount: 2 } }, tags: { team: 'search' } });
    const progress: string[] = [];
    const onProgress = (p: { stage: string }) => progress.push(p.stage);

    // First deploy: CreateEndpoint, one production variant.
    const first = await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] }, { onProgress });
    expect(first.changed).toBe(true);
    expect(progress).toEqual(expect.arrayContaining(['packaging', 'creating', 'waiting', 'cleaning-up']));
    const created = await describeEndpoint(name);
    expect(created).toMatchObject({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'digits-v1', CurrentWeight: 100 }],
    });
    const firstConfig = await describeConfig(created.EndpointConfigName!);
    expect(firstConfig.ProductionVariants).toEqual([
      expect.objectContaining({
        VariantName: 'digits-v1',
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: 100,
      }),
    ]);
    // The model: Fledge's image, the package in S3 (sha256 recorded), the variant's identity.
    const model = await clients.sagemaker.send(
      new DescribeModelCommand({ ModelName: firstConfig.ProductionVariants![0].ModelName }),
    );
    expect(model.ExecutionRoleArn).toBe(role);
    expect(model.PrimaryContainer).toMatchObject({
      Image: image,
      ModelDataUrl: `s3://${bucket}/packages/${v1.sha256}/model.tar.gz`,
      Environment: expect.objectContaining({
        FLEDGE_ENDPOINT_NAME: name,
        FLEDGE_VARIANT_NAME: 'digits-v1',
        FLEDGE_MODEL_VERSION_ID: v1.id,
        FLEDGE_MODEL_SHA256: v1.sha256,
      }),
    });
    const pkg = await clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `packages/${v1.sha256}/model.tar.gz` }),
    );
    const pkgBytes = await pkg.Body!.transformToByteArray();
    const pkgSha = createHash('sha256').update(pkgBytes).digest('hex');
    expect(pkg.Metadata?.sha256).toBe(pkgSha);
    expect(model.PrimaryContainer?.Environment?.FLEDGE_PACKAGE_SHA256).toBe(pkgSha);
    expect(first.state.variants).toEqual([
      expect.objectContaining({
        variantName: 'digits-v1',
        role: 'primary',
        weight: 100,
        modelVersionId: v1.id,
        version: 1,
      }),
    ]);

    // The same desired state again changes nothing.
    const again = await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] });
    expect(again.changed).toBe(false);
    expect((await describeEndpoint(name)).EndpointConfigName).toBe(created.EndpointConfigName);

    // Shadow: a new set of variants → a configuration with ShadowProductionVariants, UpdateEndpoint.
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100), variant(v2, 'shadow', 0, 0.5)] });
    const shadowing = await describeEndpoint(name);
    expect(shadowing.EndpointConfigName).not.toBe(created.EndpointConfigName);
    expect(shadowing.ShadowProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'digits-v2', CurrentWeight: 50 }),
    ]);
    expect((await describeConfig(shadowing.EndpointConfigName!)).ShadowProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'digits-v2', InitialVariantWeight: 50 }),
    ]);
    expect(await configsOf(name)).toEqual([shadowing.EndpointConfigName]);
    expect(await backend.describeEndpoint(name)).toMatchObject({
      variants: [
        expect.objectContaining({ variantName: 'digits-v1', role: 'primary', weight: 100 }),
        expect.objectContaining({ variantName: 'digits-v2', role: 'shadow', weight: 0, shadowSampleRate: 0.5 }),
      ],
    });

    // Canary 25%: the candidate becomes a production variant (new set), with its own capacity.
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 75), variant(v2, 'canary', 25)] });
    const canary = await describeEndpoint(name);
    expect(await weights(name)).toEqual({ 'digits-v1': 75, 'digits-v2': 25 });
    expect((await describeConfig(canary.EndpointConfigName!)).ProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'digits-v1', InitialInstanceCount: 1, InitialVariantWeight: 75 }),
      expect.objectContaining({ VariantName: 'digits-v2', InitialInstanceCount: 2, InitialVariantWeight: 25 }),
    ]);

    // Canary 50% and rollback: UpdateEndpointWeightsAndCapacities on the same configuration.
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 50), variant(v2, 'canary', 50)] });
    expect((await describeEndpoint(name)).EndpointConfigName).toBe(canary.EndpointConfigName);
    expect(await weights(name)).toEqual({ 'digits-v1': 50, 'digits-v2': 50 });
    // Promoting lists the candidate first: still the same set, so weights only.
    await backend.applyEndpoint({ name, variants: [variant(v2, 'primary', 100), variant(v1, 'canary', 0)] });
    expect((await describeEndpoint(name)).EndpointConfigName).toBe(canary.EndpointConfigName);
    expect(await weights(name)).toEqual({ 'digits-v1': 0, 'digits-v2': 100 });
    expect(await backend.describeEndpoint(name)).toMatchObject({
      variants: [
        expect.objectContaining({ variantName: 'digits-v1', role: 'canary', weight: 0 }),
        expect.objectContaining({ variantName: 'digits-v2', role: 'primary', weight: 100 }),
      ],
    });
    const rolledBack = await backend.applyEndpoint({
      name,
      variants: [variant(v1, 'primary', 100), variant(v2, 'canary', 0)],
    });
    expect(rolledBack.changed).toBe(true);
    expect((await describeEndpoint(name)).EndpointConfigName).toBe(canary.EndpointConfigName);
    expect(await weights(name)).toEqual({ 'digits-v1': 100, 'digits-v2': 0 });
    expect(await configsOf(name)).toEqual([canary.EndpointConfigName]);

    // The candidate removed: a configuration with the baseline alone; the candidate's model goes.
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] });
    const baseline = await describeEndpoint(name);
    expect(baseline.ProductionVariants!.map((v) => v.VariantName)).toEqual(['digits-v1']);
    expect(await configsOf(name)).toEqual([baseline.EndpointConfigName]);
    const models = await modelsOf(name);
    expect(models).toEqual([(await describeConfig(baseline.EndpointConfigName!)).ProductionVariants![0].ModelName]);

    // No variants: the endpoint and everything Fledge made for it are deleted.
    await backend.applyEndpoint({ name, variants: [] });
    expect(await backend.describeEndpoint(name)).toBeNull();
    expect(await configsOf(name)).toEqual([]);
    expect(await modelsOf(name)).toEqual([]);
  });

  it('ends a new endpoint whose container fails /ping with SageMaker FailureReason, leaving nothing behind', async () => {
    const name = newEndpoint('failing', { image: failingImage });
    await expect(backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'SAGEMAKER_ENDPOINT_FAILED',
      message: expect.stringContaining('did not pass the ping health check'),
    });
    expect(await backend.describeEndpoint(name)).toBeNull();
    expect(await configsOf(name)).toEqual([]);
    expect(await modelsOf(name)).toEqual([]);
  });

  it('keeps the previous configuration serving when an update fails, and removes what the update made', async () => {
    const name = newEndpoint('update-fails');
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] });
    const before = await describeEndpoint(name);
    const modelsBefore = await modelsOf(name);
    // The candidate's image fails its health check: only this variant uses it.
    endpointOptions.set(name, { ...endpointOptions.get(name), image: failingImage });
    await expect(
      backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 90), variant(v2, 'canary', 10)] }),
    ).rejects.toMatchObject({ reason: 'SAGEMAKER_ENDPOINT_FAILED', message: expect.stringContaining('digits-v') });
    const after = await describeEndpoint(name);
    expect(after).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: before.EndpointConfigName });
    expect(after.FailureReason).toMatch(/ping health check/);
    expect(await configsOf(name)).toEqual([before.EndpointConfigName]);
    expect(await modelsOf(name)).toEqual(modelsBefore);
    await backend.deleteEndpoint(name);
  });

  it("refuses an unknown instance type with AWS's words, leaving nothing behind", async () => {
    const name = newEndpoint('bad-type', { instanceType: 'ml.huge.giant' });
    const failure = backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100)] });
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'AWS_VALIDATION' });
    await expect(failure).rejects.toThrow(/Value 'ml.huge.giant' at 'instanceType' failed to satisfy constraint/);
    expect(await backend.describeEndpoint(name)).toBeNull();
    expect(await configsOf(name)).toEqual([]);
    expect(await modelsOf(name)).toEqual([]);
  });

  it('retries throttling with the SDK retry strategy; a validation error surfaces once, unretried', async () => {
    const name = newEndpoint('throttled');
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 50), variant(v2, 'canary', 50)] });

    const throttled = await injectAwsFault(awsEndpoint, {
      action: 'UpdateEndpointWeightsAndCapacities',
      match: name,
      count: 2,
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 75), variant(v2, 'canary', 25)] });
    expect(await weights(name)).toEqual({ 'digits-v1': 75, 'digits-v2': 25 });
    expect(await throttled()).toMatchObject({ failed: 2, passed: 1 });

    const invalid = await injectAwsFault(awsEndpoint, {
      action: 'UpdateEndpointWeightsAndCapacities',
      match: name,
      count: 5,
      code: 'ValidationException',
      message: 'The variant name(s) "digits-v9" is/are not present within endpoint configuration',
    });
    await expect(
      backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100), variant(v2, 'canary', 0)] }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('is/are not present within endpoint configuration'),
    });
    expect((await invalid()).failed).toBe(1);
    expect(await weights(name)).toEqual({ 'digits-v1': 75, 'digits-v2': 25 });
    // The rest of the fault's budget would hit the next call: spend it where it does no harm.
    await backend.deleteEndpoint(name);
  });

  it('reads SLO windows from CloudWatch metrics as SageMaker emits them', async () => {
    const name = newEndpoint('metrics');
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 100), variant(v2, 'shadow', 0, 1)] });
    const now = new Date();
    const dims = (variantName: string) => [
      { Name: 'EndpointName', Value: name },
      { Name: 'VariantName', Value: variantName },
    ];
    const put = (
      variantName: string,
      latencyUs: number[],
      counts: number[],
      invocations: number,
      e5: number,
      e4: number,
    ) =>
      clients.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/SageMaker',
          MetricData: [
            {
              MetricName: 'ModelLatency',
              Dimensions: dims(variantName),
              Timestamp: now,
              Unit: 'Microseconds',
              Values: latencyUs,
              Counts: counts,
            },
            {
              MetricName: 'Invocations',
              Dimensions: dims(variantName),
              Timestamp: now,
              Unit: 'None',
              Value: invocations,
            },
            {
              MetricName: 'Invocation5XXErrors',
              Dimensions: dims(variantName),
              Timestamp: now,
              Unit: 'None',
              Value: e5,
            },
            {
              MetricName: 'Invocation4XXErrors',
              Dimensions: dims(variantName),
              Timestamp: now,
              Unit: 'None',
              Value: e4,
            },
          ],
        }),
      );
    await put('digits-v1', [2000, 4000, 30_000], [90, 9, 1], 100, 1, 3);
    await put('digits-v2', [5000], [40], 40, 0, 0);

    const stats = await backend.variantStats(name, { seconds: 120 });
    expect(stats).toEqual([
      expect.objectContaining({
        variant: 'digits-v1',
        role: 'primary',
        source: 'cloudwatch',
        requests: 100,
        errors: 1,
        clientErrors: 3,
        errorsByKind: { '5xx': 1, '4xx': 3 },
        p50Ms: 2,
        p99Ms: 4,
        maxMs: 30,
        meanAbsDiff: null,
      }),
      expect.objectContaining({
        variant: 'digits-v2',
        role: 'shadow',
        source: 'cloudwatch',
        requests: 40,
        shadowSamples: 40,
        agreement: null,
        p99Ms: 5,
      }),
    ]);
    expect(stats[0]).not.toHaveProperty('latency');
    await expect(backend.variantStats(newEndpoint('none'), { seconds: 60 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await backend.deleteEndpoint(name);
  });

  it('watches the candidate with CloudWatch alarms that reach the webhook through SNS, signed by a CA the test trusts', async () => {
    const name = newEndpoint('alarms');
    const watch: WatchedVariant = {
      variantName: 'digits-v2',
      rolloutId: 'r-1',
      maxP99LatencyMs: 250,
      maxErrorRate: 0.02,
    };
    const seen = deliveries.length;
    await backend.applyEndpoint({ name, variants: [variant(v1, 'primary', 90), variant(v2, 'canary', 10)], watch });
    const names = new SageMakerNames(name);
    const { MetricAlarms } = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: names.alarmPrefix() }),
    );
    expect(MetricAlarms!.map((a) => a.AlarmName).sort()).toEqual([
      names.alarm('digits-v2', 'error-rate'),
      names.alarm('digits-v2', 'p99-latency'),
    ]);
    const latency = MetricAlarms!.find((a) => a.AlarmName!.endsWith('p99-latency'))!;
    expect(latency).toMatchObject({ MetricName: 'ModelLatency', ExtendedStatistic: 'p99', Threshold: 250_000 });
    expect(latency.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'EndpointName', Value: name },
        { Name: 'VariantName', Value: 'digits-v2' },
      ]),
    );
    const topicArn = latency.AlarmActions![0];

    // Subscribing sent a signed SubscriptionConfirmation to the webhook, with the API key as Basic auth.
    const confirmation = deliveries
      .slice(seen)
      .find((d) => d.body.Type === 'SubscriptionConfirmation' && d.body.TopicArn === topicArn);
    expect(confirmation?.authorization).toBe(`Basic ${Buffer.from(`fledge-alerts:${webhookKey}`).toString('base64')}`);

    // CloudWatch changes the alarm's state → SNS delivers CloudWatch's notification to the webhook.
    const delivered = new Promise<void>((resolve) => deliveryWaiters.push(resolve));
    await clients.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: latency.AlarmName, StateValue: 'ALARM', StateReason: 'p99 above 250 ms' }),
    );
    await delivered;
    const notification = deliveries.at(-1)!.body;
    expect(notification).toMatchObject({ Type: 'Notification', TopicArn: topicArn });
    expect(JSON.parse(notification.Message)).toMatchObject({
      AlarmName: latency.AlarmName,
      NewStateValue: 'ALARM',
      Trigger: { Dimensions: expect.arrayContaining([{ name: 'EndpointName', value: name }]) },
    });

    // Both messages verify as AWS documents: the certificate chains to the test CA, the signature
    // covers the canonical string with SHA1withRSA (SignatureVersion 1).
    const ca = new X509Certificate(await snsTestCa(awsEndpoint));
    for (const message of [confirmation!.body, notification]) {
      expect(new URL(message.SigningCertURL).hostname).toBe('127.0.0.1');
      const cert = new X509Certificate(await (await fetch(message.SigningCertURL)).text());
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(message.SignatureVersion).toBe('1');
      expect(
        verify('sha1', Buffer.from(canonical(message)), cert.publicKey, Buffer.from(message.Signature, 'base64')),
      ).toBe(true);
      const tampered = { ...message, Message: `${message.Message} ` };
      expect(
        verify('sha1', Buffer.from(canonical(tampered)), cert.publicKey, Buffer.from(message.Signature, 'base64')),
      ).toBe(false);
    }
    // Visiting SubscribeURL confirms the subscription, as SNS expects of the receiver.
    expect((await fetch(confirmation!.body.SubscribeURL)).status).toBe(200);

    // Rollback (the candidate at 0) and removal end the watch: its alarms are deleted.
    await backend.applyEndpoint({
      name,
      variants: [variant(v1, 'primary', 100), variant(v2, 'canary', 0)],
      watch: null,
    });
    expect(
      (await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: names.alarmPrefix() }))).MetricAlarms,
    ).toEqual([]);
    await backend.deleteEndpoint(name);
  });

  it('names the credentials settings when AWS has no credentials, and the bucket setting when it is missing', async () => {
    // The SDK's default chain finds nothing: no variables, no profile files, no instance metadata.
    const scrubbed = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
      AWS_CONFIG_FILE: path.join(work, 'no-config'),
    };
    const saved = Object.fromEntries(Object.keys(scrubbed).map((key) => [key, process.env[key]]));
    const setEnv = (values: Record<string, string | undefined>) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    };
    setEnv(scrubbed);
    const { credentials: _, ...anonymous } = connection;
    const noCredentials = new SageMakerHostingBackend({
      connection: anonymous,
      bucket,
      prefix: 'packages',
      artifacts: { get: () => Promise.reject(new Error('unused')), head: () => Promise.reject(new Error('unused')) },
      workDir: work,
      endpointOptions: async () => null,
    });
    try {
      await expect(noCredentials.verifyAccess()).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        reason: 'AWS_CREDENTIALS',
        message: expect.stringContaining('AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'),
      });
    } finally {
      setEnv(saved);
      noCredentials.close();
    }

    const noBucket = new SageMakerHostingBackend({
      connection,
      bucket: uniqueName('missing-bucket'),
      prefix: 'packages',
      artifacts: { get: () => Promise.reject(new Error('unused')), head: () => Promise.reject(new Error('unused')) },
      workDir: work,
      endpointOptions: async () => null,
    });
    await expect(noBucket.verifyAccess()).rejects.toMatchObject({
      reason: 'SAGEMAKER_BUCKET_MISSING',
      message: expect.stringContaining('FLEDGE_SAGEMAKER_BUCKET'),
    });
    noBucket.close();
  });
});
