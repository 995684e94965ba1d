import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointsCommand,
  paginateListEndpointConfigs,
  paginateListModels,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  waitForEndpointDeleted,
  waitForEndpointInService,
  type CreateEndpointConfigCommandInput,
  type CreateModelCommandInput,
  type DescribeEndpointCommandOutput,
  type DescribeEndpointConfigCommandOutput,
  type ProductionVariant,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { resolveEndpointOptions, type SageMakerEndpointOptions } from '@fledge/domain';
import { FledgeError, invalidArgument, notFound } from '@fledge/errors';

import {
  type ApplyContext,
  type ApplyEndpointResult,
  type DesiredEndpoint,
  type DesiredVariant,
  type EndpointState,
  type HostedVariant,
  type HostedVariantStats,
  type HostingBackend,
  type StatsWindow,
} from '../hosting-backend.js';
import { createAwsClients, destroyAwsClients, type AwsClients, type AwsConnection } from './aws-clients.js';
import { aws, awsErrorName, CREDENTIAL_SETTINGS, fromAwsError } from './aws-errors.js';
import { CloudWatchAlarms, type AlarmWebhook } from './cloudwatch-alarms.js';
import { CloudWatchVariantMetrics } from './cloudwatch-metrics.js';
import { ModelPackager, type ArtifactReader } from './model-package.js';
import { canonicalJson, SageMakerNames } from './sagemaker-names.js';

export interface SageMakerHostingOptions {
  connection: AwsConnection;
  /** Bucket and key prefix of the model packages (`model.tar.gz`), in `connection.region`. */
  bucket: string;
  prefix: string;
  artifacts: ArtifactReader;
  /** Scratch space for packages being built. */
  workDir: string;
  /** The endpoint's stored backend options (region, role, image, capacity, tags, data capture). */
  endpointOptions: (endpoint: string) => Promise<Record<string, unknown> | null>;
  /** Where CloudWatch alarms deliver through SNS; absent → no alarms. */
  alarmWebhook?: AlarmWebhook;
  /** Longest wait for InService per change (default 1500 s); past it the step fails UNAVAILABLE and is retried. */
  waitSeconds?: number;
  /** First delay between DescribeEndpoint polls (default 5000 ms; the SDK waiter backs off up to 30 s). */
  pollMs?: number;
  /** Builds the clients of a region (default: `createAwsClients(connection, region)`). */
  clients?: (region: string) => AwsClients;
}

type DescribedEndpoint = DescribeEndpointCommandOutput;
type EndpointConfig = Pick<
  CreateEndpointConfigCommandInput,
  'ProductionVariants' | 'ShadowProductionVariants' | 'DataCaptureConfig'
>;

/** Environment of every container Fledge deploys: the variant's identity, read back by describeEndpoint. */
const ENV = {
  endpoint: 'FLEDGE_ENDPOINT_NAME',
  variant: 'FLEDGE_VARIANT_NAME',
  modelName: 'FLEDGE_MODEL_NAME',
  version: 'FLEDGE_MODEL_VERSION',
  modelVersionId: 'FLEDGE_MODEL_VERSION_ID',
  sha256: 'FLEDGE_MODEL_SHA256',
  artifactUri: 'FLEDGE_ARTIFACT_URI',
  packageSha256: 'FLEDGE_PACKAGE_SHA256',
} as const;

const SETTLED = new Set(['InService', 'Failed', 'OutOfService', 'UpdateRollbackFailed']);
const VARIANT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

function alreadyExists(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationException' && /already exist/i.test((error as Error).message ?? '');
}

function missing(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationException' && /could not find/i.test((error as Error).message ?? '');
}

function endpointFailed(name: string, reason: string | undefined): FledgeError {
  return new FledgeError(
    'FAILED_PRECONDITION',
    `SageMaker endpoint ${name} failed: ${reason ?? 'no FailureReason given'}`,
    { reason: 'SAGEMAKER_ENDPOINT_FAILED', details: { endpoint: name, failureReason: reason ?? null } },
  );
}

/**
 * HostingBackend on Amazon SageMaker real-time endpoints. Desired state → SageMaker: each variant's
 * ONNX file is packaged as `model.tar.gz` (uploaded once per digest), one SageMaker model per
 * variant, one endpoint configuration per *set* of variants (production and shadow), then
 * CreateEndpoint or UpdateEndpoint when the set changes, and UpdateEndpointWeightsAndCapacities when
 * only weights or instance counts change (every canary step and the rollback). Each change waits for
 * InService; an endpoint that fails ends the call with SageMaker's FailureReason, after removing
 * what was created for it. Configurations and models the endpoint no longer uses are deleted once it
 * serves the new state. Live statistics come from CloudWatch; alarms watch the candidate.
 */
export class SageMakerHostingBackend implements HostingBackend {
  readonly kind = 'sagemaker' as const;
  private readonly metrics = new CloudWatchVariantMetrics();
  private readonly alarms: CloudWatchAlarms;
  private readonly clientsByRegion = new Map<string, AwsClients>();
  private readonly packager: ModelPackager;

  constructor(private readonly options: SageMakerHostingOptions) {
    this.alarms = new CloudWatchAlarms(options.alarmWebhook ?? null);
    this.packager = new ModelPackager({
      s3: this.clients(options.connection.region).s3,
      bucket: options.bucket,
      prefix: options.prefix,
      artifacts: options.artifacts,
      workDir: options.workDir,
    });
  }

  /**
   * Checks at process start that AWS accepts the credentials and the package bucket exists, so a
   * wrong setup stops the worker with the setting to fix instead of failing mid-rollout.
   */
  async verifyAccess(): Promise<void> {
    const { sagemaker, s3 } = this.clients(this.options.connection.region);
    try {
      await sagemaker.send(new ListEndpointsCommand({ MaxResults: 1 }));
    } catch (error) {
      const failure = fromAwsError(error, 'SageMaker ListEndpoints');
      if (failure.reason === 'AWS_CREDENTIALS' || awsErrorName(error) === 'CredentialsProviderError') {
        throw new FledgeError(
          'FAILED_PRECONDITION',
          `the SageMaker backend has no usable AWS credentials (${(error as Error).message}): set ${CREDENTIAL_SETTINGS}, ` +
            `or unset FLEDGE_SAGEMAKER_BUCKET to run without SageMaker`,
          { reason: 'AWS_CREDENTIALS', cause: error },
        );
      }
      throw failure;
    }
    try {
      await s3.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || awsErrorName(error) === 'NotFound') {
        throw new FledgeError(
          'FAILED_PRECONDITION',
          `FLEDGE_SAGEMAKER_BUCKET: the model-package bucket ${this.options.bucket} does not exist in ${this.options.connection.region}`,
          { reason: 'SAGEMAKER_BUCKET_MISSING', cause: error },
        );
      }
      throw fromAwsError(error, `S3 HeadBucket ${this.options.bucket} (FLEDGE_SAGEMAKER_BUCKET)`);
    }
  }

  async applyEndpoint(desired: DesiredEndpoint, context: ApplyContext = {}): Promise<ApplyEndpointResult> {
    const name = desired.name;
    const options = await this.optionsOf(name);
    const clients = this.clients(options.region);
    const names = new SageMakerNames(name);
    const progress = (stage: string, detail?: string) => context.onProgress?.({ endpoint: name, stage, detail });

    if (desired.variants.length === 0) {
      const existed = await this.remove(clients, names, context);
      return { changed: existed, state: this.emptyState(name) };
    }
    this.checkShape(desired);

    let current = await this.describe(clients, name);
    if (current && !SETTLED.has(current.EndpointStatus!)) {
      progress('waiting', `endpoint is ${current.EndpointStatus}`);
      current = await this.waitSettled(clients, name, context);
    }
    if (current && current.EndpointStatus !== 'InService') {
      // DeleteEndpoint is the only operation SageMaker allows on a failed endpoint.
      progress('removing', `endpoint is ${current.EndpointStatus}`);
      await this.deleteAndWait(clients, name, context);
      current = null;
    }

    let outcome: { changed: boolean; current: DescribedEndpoint };
    try {
      outcome = await this.converge(clients, names, options, desired, current, context);
    } catch (error) {
      // A failure no retry will fix leaves nothing behind that was made for this step; a transient
      // one keeps what exists for the retry to reuse.
      if (FledgeError.is(error) && error.code !== 'UNAVAILABLE') await this.undoFailedStep(clients, names, context);
      throw error;
    }
    progress('cleaning-up');
    await this.collectGarbage(clients, names, outcome.current.EndpointConfigName!);
    await this.alarms.watch(clients, names, desired.watch ?? null);
    return { changed: outcome.changed, state: await this.stateOf(clients, outcome.current) };
  }

  async describeEndpoint(name: string): Promise<EndpointState | null> {
    const clients = this.clients((await this.optionsOf(name)).region);
    const described = await this.describe(clients, name);
    return described ? this.stateOf(clients, described) : null;
  }

  async variantStats(name: string, window: StatsWindow): Promise<HostedVariantStats[]> {
    const clients = this.clients((await this.optionsOf(name)).region);
    const described = await this.describe(clients, name);
    if (!described) throw notFound(`SageMaker endpoint ${name} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    const state = await this.stateOf(clients, described);
    return this.metrics.windowStats(clients.cloudwatch, name, state.variants, window);
  }

  async deleteEndpoint(name: string): Promise<void> {
    const clients = this.clients((await this.optionsOf(name)).region);
    await this.remove(clients, new SageMakerNames(name), {});
  }

  /** Releases the clients' sockets. */
  close(): void {
    for (const clients of this.clientsByRegion.values()) destroyAwsClients(clients);
    this.clientsByRegion.clear();
  }

  // ── desired state → SageMaker resources ─────────────────────────────────────────────────────

  private checkShape(desired: DesiredEndpoint): void {
    const serving = desired.variants.filter((v) => v.role !== 'shadow');
    const shadows = desired.variants.filter((v) => v.role === 'shadow');
    if (serving.length === 0) throw invalidArgument(`endpoint ${desired.name}: SageMaker needs a production variant`);
    if (shadows.length > 0 && serving.length !== 1) {
      throw invalidArgument(
        `endpoint ${desired.name}: SageMaker runs shadow variants only beside exactly one production variant (got ${serving.length})`,
        { reason: 'SAGEMAKER_SHADOW_SHAPE' },
      );
    }
    for (const v of desired.variants) {
      if (!VARIANT_NAME.test(v.variantName)) {
        throw invalidArgument(
          `variant name ${v.variantName} is not a valid SageMaker variant name (at most 63 letters, digits and dashes)`,
          {
            reason: 'SAGEMAKER_VARIANT_NAME',
          },
        );
      }
    }
  }

  /**
   * Brings the endpoint to `desired`: new weights when the set of variants is the same, otherwise a
   * configuration for the new set and CreateEndpoint / UpdateEndpoint, then the wait for InService.
   */
  private async converge(
    clients: AwsClients,
    names: SageMakerNames,
    options: SageMakerEndpointOptions,
    desired: DesiredEndpoint,
    current: DescribedEndpoint | null,
    context: ApplyContext,
  ): Promise<{ changed: boolean; current: DescribedEndpoint }> {
    const name = desired.name;
    context.onProgress?.({ endpoint: name, stage: 'packaging' });
    const config = await this.ensureModels(clients, names, options, desired.variants);
    if (current) {
      const serving = await this.describeConfig(clients, current.EndpointConfigName!);
      if (canonicalJson(setOf(serving)) === canonicalJson(setOf(config))) {
        const changed = await this.setWeights(clients, current, config, context);
        return { changed, current: changed ? await this.waitSettled(clients, name, context) : current };
      }
    }
    const configName = names.config(config);
    await this.ensureConfig(clients, names, options, configName, config);
    context.onProgress?.({ endpoint: name, stage: current ? 'updating' : 'creating', detail: configName });
    await aws(`SageMaker ${current ? 'UpdateEndpoint' : 'CreateEndpoint'} ${name}`, () =>
      clients.sagemaker.send(
        current
          ? new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: configName })
          : new CreateEndpointCommand({
              EndpointName: name,
              EndpointConfigName: configName,
              Tags: tagsOf(name, options),
            }),
      ),
    );
    const after = await this.waitSettled(clients, name, context);
    // A failed update leaves SageMaker on the previous configuration (InService, FailureReason set).
    if (after.EndpointStatus !== 'InService' || after.EndpointConfigName !== configName) {
      throw endpointFailed(name, after.FailureReason);
    }
    return { changed: true, current: after };
  }

  /** After a failed step: a failed endpoint is deleted; configurations and models it made go. */
  private async undoFailedStep(clients: AwsClients, names: SageMakerNames, context: ApplyContext): Promise<void> {
    try {
      const now = await this.describe(clients, names.endpoint);
      if (now?.EndpointStatus === 'Failed') await this.deleteAndWait(clients, names.endpoint, context);
      const live = now && now.EndpointStatus !== 'Failed' ? now.EndpointConfigName! : null;
      await this.collectGarbage(clients, names, live);
    } catch {
      // The step's own failure is what the caller must see; leftovers go with the next change.
    }
  }

  /** Packages and registers each variant's model; returns the endpoint configuration that serves them. */
  private async ensureModels(
    clients: AwsClients,
    names: SageMakerNames,
    options: SageMakerEndpointOptions,
    variants: DesiredVariant[],
  ): Promise<EndpointConfig> {
    const production: ProductionVariant[] = [];
    const shadows: ProductionVariant[] = [];
    for (const variant of variants) {
      const pkg = await this.packager.ensure(variant.artifactUri, variant.sha256);
      const model: Omit<CreateModelCommandInput, 'ModelName' | 'Tags'> = {
        ExecutionRoleArn: options.executionRoleArn,
        PrimaryContainer: {
          Image: options.image,
          ModelDataUrl: pkg.uri,
          Environment: {
            [ENV.endpoint]: names.endpoint,
            [ENV.variant]: variant.variantName,
            [ENV.modelName]: variant.modelName,
            [ENV.version]: String(variant.version),
            [ENV.modelVersionId]: variant.modelVersionId,
            [ENV.sha256]: variant.sha256,
            [ENV.artifactUri]: variant.artifactUri,
            [ENV.packageSha256]: pkg.sha256,
          },
        },
      };
      const modelName = names.model(model);
      await this.createTolerant(`SageMaker CreateModel ${modelName} (${variant.variantName})`, () =>
        clients.sagemaker.send(
          new CreateModelCommand({ ...model, ModelName: modelName, Tags: tagsOf(names.endpoint, options) }),
        ),
      );
      const capacity = options.roles[variant.role];
      const shadow = variant.role === 'shadow';
      (shadow ? shadows : production).push({
        VariantName: variant.variantName,
        ModelName: modelName,
        InstanceType: capacity.instanceType as ProductionVariant['InstanceType'],
        InitialInstanceCount: capacity.instanceCount,
        // Shadow sampling is the shadow's weight relative to the production variant's (100).
        InitialVariantWeight: shadow ? variant.shadowSampleRate * 100 : variant.weight,
      });
    }
    return {
      ProductionVariants: production,
      ...(shadows.length > 0 && { ShadowProductionVariants: shadows }),
      ...(options.dataCapture && {
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: options.dataCapture.samplingPercentage,
          DestinationS3Uri: options.dataCapture.destinationS3Uri,
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        },
      }),
    };
  }

  private async ensureConfig(
    clients: AwsClients,
    names: SageMakerNames,
    options: SageMakerEndpointOptions,
    configName: string,
    config: EndpointConfig,
  ): Promise<void> {
    await this.createTolerant(`SageMaker CreateEndpointConfig ${configName}`, () =>
      clients.sagemaker.send(
        new CreateEndpointConfigCommand({
          ...config,
          EndpointConfigName: configName,
          Tags: tagsOf(names.endpoint, options),
        }),
      ),
    );
  }

  /** Canary steps and rollback: weights and instance counts of the same variants, no new configuration. */
  private async setWeights(
    clients: AwsClients,
    current: DescribedEndpoint,
    config: EndpointConfig,
    context: ApplyContext,
  ): Promise<boolean> {
    const now = new Map((current.ProductionVariants ?? []).map((v) => [v.VariantName, v]));
    const wanted = (config.ProductionVariants ?? []).map((v) => ({
      VariantName: v.VariantName!,
      DesiredWeight: v.InitialVariantWeight!,
      DesiredInstanceCount: v.InitialInstanceCount!,
    }));
    const same = wanted.every((w) => {
      const v = now.get(w.VariantName);
      return (
        v !== undefined &&
        (v.DesiredWeight ?? v.CurrentWeight ?? 0) === w.DesiredWeight &&
        (v.DesiredInstanceCount ?? v.CurrentInstanceCount) === w.DesiredInstanceCount
      );
    });
    if (same) return false;
    context.onProgress?.({
      endpoint: current.EndpointName!,
      stage: 'weights',
      detail: wanted.map((w) => `${w.VariantName} ${w.DesiredWeight}`).join(', '),
    });
    await aws(`SageMaker UpdateEndpointWeightsAndCapacities ${current.EndpointName}`, () =>
      clients.sagemaker.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: current.EndpointName,
          DesiredWeightsAndCapacities: wanted,
        }),
      ),
    );
    return true;
  }

  /** Deletes the endpoint's configurations and models other than `keep` and the models it uses. */
  private async collectGarbage(clients: AwsClients, names: SageMakerNames, keep: string | null): Promise<void> {
    const kept = keep ? await this.describeConfig(clients, keep).catch(() => null) : null;
    const usedModels = new Set(
      [...(kept?.ProductionVariants ?? []), ...(kept?.ShadowProductionVariants ?? [])].map((v) => v.ModelName),
    );
    const configs: string[] = [];
    await aws(`SageMaker ListEndpointConfigs ${names.configPrefix()}`, async () => {
      for await (const page of paginateListEndpointConfigs(
        { client: clients.sagemaker },
        { NameContains: names.configPrefix() },
      )) {
        for (const c of page.EndpointConfigs ?? [])
          if (names.isConfig(c.EndpointConfigName!)) configs.push(c.EndpointConfigName!);
      }
    });
    for (const configName of configs.filter((c) => c !== keep)) {
      await this.deleteTolerant(`SageMaker DeleteEndpointConfig ${configName}`, () =>
        clients.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: configName })),
      );
    }
    const models: string[] = [];
    await aws(`SageMaker ListModels ${names.modelPrefix()}`, async () => {
      for await (const page of paginateListModels(
        { client: clients.sagemaker },
        { NameContains: names.modelPrefix() },
      )) {
        for (const m of page.Models ?? []) if (names.isModel(m.ModelName!)) models.push(m.ModelName!);
      }
    });
    for (const modelName of models.filter((m) => !usedModels.has(m))) {
      await this.deleteTolerant(`SageMaker DeleteModel ${modelName}`, () =>
        clients.sagemaker.send(new DeleteModelCommand({ ModelName: modelName })),
      );
    }
  }

  /** Deletes the endpoint, then everything Fledge made for it; false when there was nothing. */
  private async remove(clients: AwsClients, names: SageMakerNames, context: ApplyContext): Promise<boolean> {
    const existed = (await this.describe(clients, names.endpoint)) !== null;
    if (existed) await this.deleteAndWait(clients, names.endpoint, context);
    await this.collectGarbage(clients, names, null);
    await this.alarms.removeAll(clients, names);
    return existed;
  }

  private async deleteAndWait(clients: AwsClients, name: string, context: ApplyContext): Promise<void> {
    await this.deleteTolerant(`SageMaker DeleteEndpoint ${name}`, () =>
      clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: name })),
    );
    const result = await waitForEndpointDeleted(this.waiterOptions(clients, context), { EndpointName: name });
    if (result.state !== 'SUCCESS') {
      throw new FledgeError('UNAVAILABLE', `SageMaker endpoint ${name} is still being deleted (${result.state})`, {
        reason: 'SAGEMAKER_WAIT_TIMEOUT',
      });
    }
  }

  // ── reading SageMaker ───────────────────────────────────────────────────────────────────────

  private async describe(clients: AwsClients, name: string): Promise<DescribedEndpoint | null> {
    try {
      return await clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
    } catch (error) {
      if (missing(error)) return null;
      throw fromAwsError(error, `SageMaker DescribeEndpoint ${name}`);
    }
  }

  private describeConfig(clients: AwsClients, configName: string): Promise<DescribeEndpointConfigCommandOutput> {
    return aws(`SageMaker DescribeEndpointConfig ${configName}`, () =>
      clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
    );
  }

  /** Waits until the endpoint leaves Creating/Updating/RollingBack; its description then. */
  private async waitSettled(clients: AwsClients, name: string, context: ApplyContext): Promise<DescribedEndpoint> {
    context.onProgress?.({ endpoint: name, stage: 'waiting' });
    const result = await waitForEndpointInService(this.waiterOptions(clients, context), { EndpointName: name });
    if (result.state === 'SUCCESS' || result.state === 'FAILURE') {
      const reason = result.reason as DescribedEndpoint | Error;
      if (reason instanceof Error) throw fromAwsError(reason, `SageMaker DescribeEndpoint ${name}`);
      return reason;
    }
    const last = await this.describe(clients, name);
    throw new FledgeError(
      'UNAVAILABLE',
      `SageMaker endpoint ${name} is still ${last?.EndpointStatus ?? 'changing'} after ${this.options.waitSeconds ?? 1500} s (${result.state})`,
      { reason: 'SAGEMAKER_WAIT_TIMEOUT' },
    );
  }

  private waiterOptions(clients: AwsClients, context: ApplyContext) {
    const minDelay = (this.options.pollMs ?? 5000) / 1000;
    return {
      client: clients.sagemaker,
      maxWaitTime: this.options.waitSeconds ?? 1500,
      minDelay,
      maxDelay: Math.max(minDelay, 30),
      ...(context.signal && { abortSignal: context.signal }),
    };
  }

  /** The endpoint as Fledge sees it: variants with the identity recorded in their containers' environment. */
  private async stateOf(clients: AwsClients, described: DescribedEndpoint): Promise<EndpointState> {
    const config = await this.describeConfig(clients, described.EndpointConfigName!).catch(() => null);
    const modelOf = new Map(
      [...(config?.ProductionVariants ?? []), ...(config?.ShadowProductionVariants ?? [])].map((v) => [
        v.VariantName,
        v.ModelName,
      ]),
    );
    const production = described.ProductionVariants ?? [];
    const weightOf = (v: { CurrentWeight?: number; DesiredWeight?: number }) => v.CurrentWeight ?? v.DesiredWeight ?? 0;
    const primary = production.reduce<(typeof production)[number] | undefined>(
      (best, v) => (best === undefined || weightOf(v) > weightOf(best) ? v : best),
      undefined,
    );
    const servingTotal = production.reduce((sum, v) => sum + weightOf(v), 0) || 1;
    const variants: HostedVariant[] = [];
    for (const [shadow, list] of [
      [false, production],
      [true, described.ShadowProductionVariants ?? []],
    ] as const) {
      for (const v of list) {
        const env = await this.environmentOf(clients, modelOf.get(v.VariantName));
        variants.push({
          variantName: v.VariantName!,
          modelVersionId: env[ENV.modelVersionId] ?? '',
          modelName: env[ENV.modelName] ?? '',
          version: Number(env[ENV.version] ?? 0),
          artifactUri: env[ENV.artifactUri] ?? '',
          sha256: env[ENV.sha256] ?? '',
          role: shadow ? 'shadow' : v === primary ? 'primary' : 'canary',
          weight: shadow ? 0 : weightOf(v),
          shadowSampleRate: shadow ? weightOf(v) / servingTotal : 0,
          inputs: [],
          outputs: [],
        });
      }
    }
    return {
      name: described.EndpointName!,
      backend: 'sagemaker',
      status:
        described.EndpointStatus === 'InService'
          ? 'InService'
          : described.EndpointStatus === 'Failed'
            ? 'Failed'
            : 'Updating',
      variants,
      generation: described.LastModifiedTime?.getTime() ?? 0,
      updatedAt: (described.LastModifiedTime ?? new Date(0)).toISOString(),
    };
  }

  private async environmentOf(clients: AwsClients, modelName: string | undefined): Promise<Record<string, string>> {
    if (!modelName) return {};
    try {
      const model = await clients.sagemaker.send(new DescribeModelCommand({ ModelName: modelName }));
      return model.PrimaryContainer?.Environment ?? {};
    } catch (error) {
      if (missing(error)) return {};
      throw fromAwsError(error, `SageMaker DescribeModel ${modelName}`);
    }
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  private async optionsOf(endpoint: string): Promise<SageMakerEndpointOptions> {
    const stored = await this.options.endpointOptions(endpoint);
    if (!stored) throw notFound(`endpoint ${endpoint} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    return resolveEndpointOptions('sagemaker', stored, { sagemaker: { region: this.options.connection.region } });
  }

  private clients(region: string): AwsClients {
    let clients = this.clientsByRegion.get(region);
    if (!clients) {
      clients = this.options.clients?.(region) ?? createAwsClients(this.options.connection, region);
      this.clientsByRegion.set(region, clients);
    }
    return clients;
  }

  private emptyState(name: string): EndpointState {
    return {
      name,
      backend: 'sagemaker',
      status: 'InService',
      variants: [],
      generation: 0,
      updatedAt: new Date(0).toISOString(),
    };
  }

  /** Creates a content-named resource; "already exists" means it was made with this very content. */
  private async createTolerant(action: string, create: () => Promise<unknown>): Promise<void> {
    try {
      await create();
    } catch (error) {
      if (!alreadyExists(error)) throw fromAwsError(error, action);
    }
  }

  private async deleteTolerant(action: string, remove: () => Promise<unknown>): Promise<void> {
    try {
      await remove();
    } catch (error) {
      if (!missing(error)) throw fromAwsError(error, action);
    }
  }
}

/** What makes two endpoint configurations the same set of variants (weights and production counts aside). */
function setOf(config: EndpointConfig | DescribeEndpointConfigCommandOutput) {
  // Order does not matter: promoting swaps which variant comes first.
  const sorted = (variants: ProductionVariant[] | undefined) =>
    [...(variants ?? [])].sort((a, b) => (a.VariantName! < b.VariantName! ? -1 : 1));
  return {
    production: sorted(config.ProductionVariants).map((v) => [v.VariantName, v.ModelName, v.InstanceType]),
    shadow: sorted(config.ShadowProductionVariants).map((v) => [
      v.VariantName,
      v.ModelName,
      v.InstanceType,
      v.InitialInstanceCount,
      v.InitialVariantWeight,
    ]),
    capture: config.DataCaptureConfig?.EnableCapture
      ? [config.DataCaptureConfig.DestinationS3Uri, config.DataCaptureConfig.InitialSamplingPercentage]
      : null,
  };
}

function tagsOf(endpoint: string, options: SageMakerEndpointOptions): Tag[] {
  return [
    ...Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
    { Key: 'fledge:endpoint', Value: endpoint },
    { Key: 'fledge:managed-by', Value: 'fledge' },
  ];
}
