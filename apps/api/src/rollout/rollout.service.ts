import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AlarmRepository,
  AuditRepository,
  DatasetRepository,
  DatasetVersionRepository,
  EndpointRepository,
  openRollout,
  RolloutRepository,
  type AlarmRecord,
  type EndpointRecord,
  type EndpointVariantRecord,
  type Page,
  type PageResult,
  type PrismaClient,
  type RolloutEventRecord,
  type RolloutRecord,
} from '@fledge/db';
import {
  formatVersionRef,
  isTerminalRolloutState,
  resolveRolloutPolicy,
  type AlarmNotice,
  type RolloutPolicyInput,
  type VersionRef,
} from '@fledge/domain';
import { FledgeError, notFound } from '@fledge/errors';
import { rolloutWorkflowId, type RolloutInput, type RolloutStatus } from '@fledge/workflows';

import { DB, ROLLOUT_WORKFLOWS } from '../api.tokens.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole, type Role } from '../auth/role.js';
import { EndpointService } from '../endpoint/endpoint.service.js';
import { ModelService } from '../model/model.service.js';
import { type RolloutSignal, type RolloutWorkflows } from './rollout.workflows.js';
import { type PromoteInput } from './rollout.types.js';

export type RolloutControl = 'abort' | 'pause' | 'resume' | 'approve';

/**
 * Promotions and rollbacks: validates the request, hands the work to the durable rollout workflow
 * and records the Rollout row (the database allows one active rollout per endpoint).
 */
@Injectable()
export class RolloutService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(RolloutRepository) private readonly rollouts: RolloutRepository,
    @Inject(AlarmRepository) private readonly alarms: AlarmRepository,
    @Inject(DatasetRepository) private readonly datasets: DatasetRepository,
    @Inject(DatasetVersionRepository) private readonly datasetVersions: DatasetVersionRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ModelService) private readonly models: ModelService,
    @Inject(EndpointService) private readonly endpointService: EndpointService,
    @Inject(ROLLOUT_WORKFLOWS) private readonly workflows: RolloutWorkflows,
  ) {}

  /** Replaces the version serving an endpoint through gate, shadow, canary steps and full traffic. */
  promote(call: CallContext, input: PromoteInput): Promise<RolloutRecord> {
    return this.start(call, input, 'promote');
  }

  /** Puts the first version on an empty endpoint: through the offline gate, then straight to 100%. */
  deploy(call: CallContext, input: PromoteInput): Promise<RolloutRecord> {
    return this.start(call, input, 'deploy');
  }

  private async start(call: CallContext, input: PromoteInput, mode: 'promote' | 'deploy'): Promise<RolloutRecord> {
    assertRole(call.actor, 'engineer', mode === 'promote' ? 'promote' : 'deployModelVersion');
    const policy = resolveRolloutPolicy(await this.policyInput(input.policy));
    const endpoint = await this.endpointService.requireEndpoint(input.endpoint);
    const candidateVersion = await this.models.requireVersion(input.model, input.version);
    if (candidateVersion.status === 'archived' || candidateVersion.status === 'rejected') {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `${formatVersionRef(input.model, input.version)} is ${candidateVersion.status}`,
        { reason: 'MODEL_VERSION_UNUSABLE' },
      );
    }
    const candidate: VersionRef = {
      modelVersionId: candidateVersion.id,
      modelName: input.model,
      version: input.version,
    };
    const variants = await this.endpoints.variantsFor(this.db, [endpoint.id]);
    await this.refuseWhileActive(call, endpoint, variants);
    const baseline = await this.baselineOf(endpoint, variants, candidate, mode);

    const workflowInput: RolloutInput = {
      rolloutId: uuidv7(),
      endpoint: { id: endpoint.id, name: endpoint.name },
      candidate,
      baseline,
      policy,
      initiatedBy: call.actor.name,
      initiatedById: call.actor.apiKeyId,
      requestId: call.requestId ?? null,
    };
    // The workflow first, then its row: an API that dies in between leaves a running rollout that
    // writes its own row (its first activity does the same write), never a row holding the
    // endpoint's one active slot with no workflow behind it. A failed start writes nothing.
    try {
      await this.workflows.start(workflowInput);
    } catch (error) {
      // The registry holds no active rollout, so a running workflow is the previous rollout
      // finishing its cleanup: give it a moment.
      if (!FledgeError.is(error, 'CONFLICT') || !(await this.workflows.waitUntilClosed(endpoint.name, 20_000)))
        throw error;
      await this.workflows.start(workflowInput);
    }
    return openRollout(this.db, {
      rolloutId: workflowInput.rolloutId,
      endpoint: workflowInput.endpoint,
      candidate,
      baseline,
      policy: policy as unknown as Record<string, unknown>,
      workflowId: rolloutWorkflowId(endpoint.name),
      createdBy: call.actor.name,
      createdById: call.actor.apiKeyId,
      requestId: call.requestId ?? null,
    });
  }

  /**
   * One rollout at a time per endpoint: an active one is refused by name, with the way to stop it.
   * An active row whose workflow no longer runs (terminated from outside Fledge, or left PENDING
   * by an API that died before rollouts recorded themselves) holds the endpoint for nothing: it is
   * closed as FAILED, audited, and the new rollout goes ahead.
   */
  private async refuseWhileActive(
    call: CallContext,
    endpoint: EndpointRecord,
    variants: EndpointVariantRecord[],
  ): Promise<void> {
    const active = await this.rollouts.findActive(this.db, endpoint.id);
    if (!active) return;
    const running = await this.workflows.running(endpoint.name);
    if (running && (running.rolloutId === null || running.rolloutId === active.id)) {
      const midChange = isMidChange(variants) ? `is between versions (${describeVariants(variants)}): ` : '';
      throw new FledgeError(
        'CONFLICT',
        `endpoint ${endpoint.name} ${midChange}rollout ${active.id} (${active.state}) is active; wait for it to ` +
          `finish, or abort it with \`fledge rollout abort ${endpoint.name}\` (GraphQL abortRollout)`,
        { reason: 'ROLLOUT_ALREADY_ACTIVE', details: { rolloutId: active.id, state: active.state } },
      );
    }
    const reason = `its workflow was no longer running when ${endpoint.name} was next promoted`;
    await this.rollouts.setState(this.db, active.id, { state: 'FAILED', step: null, reason, at: new Date() });
    await this.audit.record(this.db, {
      actor: call.actor,
      action: 'rollout.close_orphan',
      subjectType: 'rollout',
      subjectId: active.id,
      before: { state: active.state },
      after: { state: 'FAILED', reason },
      requestId: call.requestId,
    });
  }

  /** A gate dataset may be named `dataset@version` instead of by id. */
  private async policyInput(raw: Record<string, unknown> | undefined): Promise<RolloutPolicyInput | undefined> {
    const gate = raw?.gate as Record<string, unknown> | undefined;
    if (!gate || typeof gate.dataset !== 'string') return raw as RolloutPolicyInput | undefined;
    const match = /^([a-z0-9-]+)@(\d+)$/.exec(gate.dataset);
    if (!match) {
      throw new FledgeError(
        'INVALID_ARGUMENT',
        'invalid rollout policy: gate.dataset must look like <dataset>@<version>',
        {
          reason: 'POLICY_INVALID',
          details: { fields: ['gate.dataset'] },
        },
      );
    }
    const dataset = await this.datasets.findByName(this.db, match[1]);
    const version = dataset ? await this.datasetVersions.find(this.db, dataset.id, Number(match[2])) : null;
    if (!version)
      throw notFound(`dataset version ${gate.dataset} does not exist`, { reason: 'DATASET_VERSION_NOT_FOUND' });
    const { dataset: _named, ...rest } = gate;
    return { ...(raw as RolloutPolicyInput), gate: { ...rest, datasetVersionId: version.id } };
  }

  private async baselineOf(
    endpoint: EndpointRecord,
    variants: EndpointVariantRecord[],
    candidate: VersionRef,
    mode: 'promote' | 'deploy',
  ): Promise<VersionRef | null> {
    if (mode === 'deploy') {
      if (variants.length > 0) {
        throw new FledgeError('FAILED_PRECONDITION', `endpoint ${endpoint.name} already serves a model: use promote`, {
          reason: 'ENDPOINT_NOT_EMPTY',
        });
      }
      return null;
    }
    if (variants.length === 0) {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `endpoint ${endpoint.name} serves nothing yet: use deployModelVersion`,
        {
          reason: 'ENDPOINT_EMPTY',
        },
      );
    }
    if (isMidChange(variants)) {
      // No rollout is active (checked first): the last one stopped without restoring one version.
      const [last] = (await this.rollouts.listByEndpoint(this.db, endpoint.id, { first: 1, after: null })).rows;
      const after = last
        ? `; its last rollout ${last.id} ended ${last.state}${last.reason ? `: ${last.reason}` : ''}`
        : '';
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `endpoint ${endpoint.name} is between versions (${describeVariants(variants)}) with no active rollout${after}`,
        { reason: 'ENDPOINT_MID_CHANGE', details: { lastRolloutId: last?.id ?? null } },
      );
    }
    const [only] = variants;
    if (only.modelVersionId === candidate.modelVersionId) {
      throw new FledgeError(
        'INVALID_ARGUMENT',
        `endpoint ${endpoint.name} already serves ${candidate.modelName}-v${candidate.version}`,
        {
          reason: 'CANDIDATE_IS_BASELINE',
        },
      );
    }
    return { modelVersionId: only.modelVersionId, modelName: only.modelName, version: only.version };
  }

  /** Abort, pause, resume or approve the endpoint's running rollout; audited. */
  async control(
    call: CallContext,
    endpointName: string,
    control: RolloutControl,
    reason?: string,
  ): Promise<RolloutRecord> {
    assertRole(call.actor, 'engineer', `${control}Rollout`);
    const endpoint = await this.endpointService.requireEndpoint(endpointName);
    const active = await this.rollouts.findActive(this.db, endpoint.id);
    if (!active) {
      throw new FledgeError('FAILED_PRECONDITION', `endpoint ${endpointName} has no active rollout`, {
        reason: 'NO_ACTIVE_ROLLOUT',
      });
    }
    const by = call.actor.name;
    const signal: RolloutSignal =
      control === 'abort'
        ? { kind: 'abort', arg: { by, reason: reason ?? '' } }
        : control === 'approve'
          ? { kind: 'approve', arg: { by } }
          : { kind: control, arg: { by } };
    await this.workflows.signal(endpoint.name, signal);
    await this.audit.record(this.db, {
      actor: call.actor,
      action: `rollout.${control}`,
      subjectType: 'rollout',
      subjectId: active.id,
      after: { endpoint: endpoint.name, reason: reason ?? null },
      requestId: call.requestId,
    });
    return active;
  }

  /**
   * Stores alarms and sends each firing one to its endpoint's active rollout, which rolls back.
   * An alarm for an endpoint without an active rollout is stored and visible, not lost.
   */
  async receiveAlarms(
    call: CallContext,
    notices: AlarmNotice[],
    allowed: readonly Role[] = ['alerts'],
  ): Promise<{ alarms: AlarmRecord[]; unmatched: { name: string; endpoint: string | null }[] }> {
    this.assertMayReceiveAlarms(call, allowed);
    const alarms: AlarmRecord[] = [];
    const unmatched: { name: string; endpoint: string | null }[] = [];
    for (const notice of notices) {
      const endpoint = notice.endpoint ? await this.endpoints.findByName(this.db, notice.endpoint) : null;
      if (!endpoint) {
        unmatched.push({ name: notice.name, endpoint: notice.endpoint });
        continue;
      }
      const active = notice.state === 'firing' ? await this.rollouts.findActive(this.db, endpoint.id) : null;
      const alarm = await this.alarms.create(this.db, {
        endpointId: endpoint.id,
        source: notice.source,
        name: notice.name,
        state: notice.state,
        payload: { summary: notice.summary, alert: notice.payload },
        fingerprint: notice.fingerprint,
        rolloutId: active?.id ?? null,
      });
      alarms.push(alarm);
      if (active) {
        await this.workflows.signal(endpoint.name, {
          kind: 'alarm',
          arg: { source: notice.source, name: notice.name, alarmId: alarm.id, detail: { summary: notice.summary } },
        });
      }
      await this.audit.record(this.db, {
        actor: call.actor,
        action: 'alarm.receive',
        subjectType: 'alarm',
        subjectId: alarm.id,
        after: {
          endpoint: endpoint.name,
          source: notice.source,
          name: notice.name,
          state: notice.state,
          rolloutId: alarm.rolloutId,
        },
        requestId: call.requestId,
      });
    }
    return { alarms, unmatched };
  }

  /** Webhooks take alerts keys (and admin); an engineer key has no place in a monitoring config. */
  assertMayReceiveAlarms(call: CallContext, allowed: readonly Role[] = ['alerts']): void {
    assertRole(call.actor, allowed, 'alarms');
  }

  /** An operator's alarm (GraphQL raiseAlarm): same path as the webhooks. */
  async raiseAlarm(
    call: CallContext,
    input: { endpoint: string; name: string; summary?: string; firing?: boolean },
  ): Promise<AlarmRecord[]> {
    assertRole(call.actor, ['alerts', 'engineer'], 'raiseAlarm');
    await this.endpointService.requireEndpoint(input.endpoint);
    const { alarms } = await this.receiveAlarms(
      call,
      [
        {
          source: 'fledge',
          name: input.name,
          state: input.firing === false ? 'resolved' : 'firing',
          endpoint: input.endpoint,
          fingerprint: `operator:${input.endpoint}:${input.name}`,
          summary: input.summary ?? `raised by ${call.actor.name}`,
          payload: { raisedBy: call.actor.name },
        },
      ],
      ['alerts', 'engineer'],
    );
    return alarms;
  }

  async requireRollout(id: string): Promise<RolloutRecord> {
    const rollout = await this.rollouts.findById(this.db, id);
    if (!rollout) throw notFound(`rollout ${id} does not exist`, { reason: 'ROLLOUT_NOT_FOUND' });
    return rollout;
  }

  async listRollouts(endpointName: string, page: Page): Promise<PageResult<RolloutRecord>> {
    const endpoint = await this.endpointService.requireEndpoint(endpointName);
    return this.rollouts.listByEndpoint(this.db, endpoint.id, page);
  }

  eventPage(rolloutId: string, page: Page): Promise<PageResult<RolloutEventRecord>> {
    return this.rollouts.eventPage(this.db, rolloutId, page);
  }

  activeRollout(endpointId: string): Promise<RolloutRecord | null> {
    return this.rollouts.findActive(this.db, endpointId);
  }

  /** The workflow's live view of an active rollout (null once it has finished). */
  async liveStatus(rollout: RolloutRecord, endpointName: string): Promise<RolloutStatus | null> {
    if (isTerminalRolloutState(rollout.state)) return null;
    const status = await this.workflows.status(endpointName);
    return status && status.rolloutId === rollout.id ? status : null;
  }

  alarmsOf(endpointId: string, limit: number): Promise<AlarmRecord[]> {
    return this.alarms.listByEndpoint(this.db, endpointId, limit);
  }
}

/** Anything but one primary variant at 100%: a rollout is (or was) moving the endpoint. */
function isMidChange(variants: EndpointVariantRecord[]): boolean {
  const [only] = variants;
  return variants.length > 1 || (only !== undefined && (only.role === 'shadow' || only.weight !== 100));
}

function describeVariants(variants: EndpointVariantRecord[]): string {
  return variants
    .map((v) => `${v.modelName}-v${v.version} ${v.role === 'shadow' ? 'shadow' : `${v.weight}%`}`)
    .join(', ');
}
