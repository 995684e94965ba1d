import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import {
  AbortRolloutDocument,
  ApproveRolloutDocument,
  ArchiveModelVersionDocument,
  AuditEventsDocument,
  CreateApiKeyDocument,
  CreateDatasetDocument,
  CreateEndpointDocument,
  CreateModelDocument,
  CreateUploadDocument,
  DeployModelVersionBriefDocument,
  EvaluateDocument,
  HealthDocument,
  ModelsPageDocument,
  PauseRolloutDocument,
  PromoteBriefDocument,
  RaiseAlarmDocument,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
  RevokeApiKeyDocument,
  ResumeRolloutDocument,
  RolloutDetailDocument,
  SetModelAliasDocument,
  ViewerDocument,
  type FledgeClient,
  type RolloutControlInput,
} from '@fledge/client';
import { type FledgeDatabase } from '@fledge/db';
import {
  openTestDatabase,
  serverTestEnv,
  startTestApi,
  uniqueName,
  type TestApi,
  type TestRole,
} from '@fledge/testing';
import { getModel } from '@fledge/trainer';
import { buildSchema } from 'graphql';

import { createModel, outcome, refusal, upload } from '../support/registry-client.js';
import { cloudWatchAlarm, createTestPki, FakeSnsHost, signedSnsMessage, type TestPki } from '../support/sns-signing.js';

type Caller = TestRole | 'none' | 'revoked';
type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

const CALLERS: Caller[] = ['none', 'revoked', 'viewer', 'scientist', 'engineer', 'admin', 'alerts'];
/** Roles allowed, besides admin (who may do everything). */
type Allowed = readonly Exclude<TestRole, 'admin'>[];
const SCIENTIST: Allowed = ['scientist', 'engineer'];
const ENGINEER: Allowed = ['engineer'];
const ADMIN: Allowed = [];

interface MutationCase {
  allowed: Allowed;
  /** The audit action an allowed call writes, once. */
  audit: string;
  /** Makes what the call needs (as admin), before the audit trail is counted. */
  prepare?: () => Promise<Record<string, any>>;
  /** The call with the caller's client (its key, or none). */
  run: (client: FledgeClient, ctx: Record<string, any>, key: string | null) => Promise<unknown>;
}

const expected = (allowed: Allowed, caller: Caller): Outcome =>
  caller === 'none' || caller === 'revoked'
    ? 'UNAUTHENTICATED'
    : caller === 'admin' || (allowed as readonly string[]).includes(caller)
      ? 'allowed'
      : 'FORBIDDEN';

/** Every mutation of the published schema: a new one without a matrix entry fails this suite. */
const schemaMutations = Object.keys(
  buildSchema(readFileSync(path.resolve('apps/api/schema.graphql'), 'utf8'))
    .getMutationType()!
    .getFields(),
).sort();

describe('authorization matrix: every mutation and webhook × every caller, audited by key id', () => {
  let api: TestApi;
  let db: FledgeDatabase;
  let pki: TestPki;
  let snsHost: FakeSnsHost;
  let revokedKey: string;
  let onnx: Uint8Array;
  let model: string;
  let dataset: string;
  let admin: FledgeClient;
  const taskQueue = uniqueName('authz');

  beforeAll(async () => {
    pki = createTestPki();
    snsHost = await new FakeSnsHost().start();
    snsHost.files.set('/cert.pem', pki.certPem);
    // A task queue no worker polls: rollouts and gradings are started and stay where they are.
    api = await startTestApi(
      serverTestEnv({
        FLEDGE_TEMPORAL_TASK_QUEUE: taskQueue,
        FLEDGE_SNS_CERT_HOSTS: new URL(snsHost.origin).host,
        FLEDGE_SNS_CA_FILE: pki.caPem,
      }),
    );
    db = await openTestDatabase();
    onnx = (await getModel('digits-mlp')).onnx;
    model = uniqueName('authz');
    dataset = uniqueName('authz-ds');
    admin = api.client();
    await createModel(api, api.keys.admin, model);
    await admin.request(CreateDatasetDocument, { input: { name: dataset } });
    for (let v = 0; v < 2; v++) {
      const up = await upload(api, api.keys.admin, 'model', onnx);
      await admin.request(RegisterModelVersionDocument, { input: { model, uploadId: up.id } });
    }
    const { createApiKey: created } = await admin.request(CreateApiKeyDocument, {
      input: { name: uniqueName('to-revoke'), role: 'ADMIN' },
    });
    revokedKey = created.secret;
    await admin.request(RevokeApiKeyDocument, { id: created.apiKey.id });
  });

  afterAll(async () => {
    // Close what this suite started on the shared Temporal server.
    const connection = await Connection.connect({ address: api?.env.FLEDGE_TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    for await (const workflow of client.workflow.list({
      query: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"`,
    })) {
      await client.workflow
        .getHandle(workflow.workflowId, workflow.runId)
        .terminate('authorization test done')
        .catch(() => undefined);
    }
    await connection.close();
    await api?.close();
    await db?.close();
    await snsHost?.stop();
    pki?.cleanup();
  });

  /** Keys that may create uploads use their own; the others get an admin's, which they must not reach. */
  const mayUpload = (key: string | null): key is string =>
    key !== null && key !== api.keys.viewer && key !== api.keys.alerts && key !== revokedKey;
  const keyOf = (caller: Caller) => (caller === 'none' ? null : caller === 'revoked' ? revokedKey : api.keys[caller]);
  const datasetVersion = async () => {
    const up = await upload(
      api,
      api.keys.admin,
      'dataset',
      new TextEncoder().encode('{"x":[1],"y":0}\n{"x":[2],"y":1}\n'),
    );
    const { registerDatasetVersion } = await admin.request(RegisterDatasetVersionDocument, {
      input: { dataset, uploadId: up.id, format: 'JSONL', featureColumns: ['x'], labelColumn: 'y' },
    });
    return registerDatasetVersion.version;
  };
  const endpoint = async (serving?: number) => {
    const name = uniqueName('authz-ep');
    const { createEndpoint: created } = await admin.request(CreateEndpointDocument, { input: { name } });
    if (serving !== undefined) {
      // A served baseline without running a rollout: the variant the registry would hold.
      const m = await db.prisma.model.findUniqueOrThrow({ where: { name: model } });
      const v = await db.prisma.modelVersion.findFirstOrThrow({ where: { modelId: m.id, version: serving } });
      await db.prisma.endpointVariant.create({
        data: { endpointId: created.id, modelVersionId: v.id, role: 'primary', weight: 100 },
      });
    }
    return name;
  };
  /** An endpoint whose deploy rollout is active (no worker moves it on). */
  const activeRollout = async () => {
    const name = await endpoint();
    await admin.request(DeployModelVersionBriefDocument, { input: { endpoint: name, model, version: 1 } });
    return { endpoint: name };
  };
  const controls: Record<string, (client: FledgeClient, input: RolloutControlInput) => Promise<unknown>> = {
    abort: (client, input) => client.request(AbortRolloutDocument, { input }),
    pause: (client, input) => client.request(PauseRolloutDocument, { input }),
    resume: (client, input) => client.request(ResumeRolloutDocument, { input }),
    approve: (client, input) => client.request(ApproveRolloutDocument, { input }),
  };
  const control = (action: 'abort' | 'pause' | 'resume' | 'approve'): MutationCase => ({
    allowed: ENGINEER,
    audit: `rollout.${action}`,
    prepare: activeRollout,
    run: (client, ctx) => controls[action](client, { endpoint: ctx.endpoint as string, reason: 'authz' }),
  });

  // Inputs that succeed for an allowed caller, so "allowed" means the call really did its work.
  const cases: Record<string, MutationCase> = {
    createUpload: {
      allowed: SCIENTIST,
      audit: 'upload.create',
      run: (client) => client.request(CreateUploadDocument, { input: { kind: 'MODEL' } }),
    },
    createModel: {
      allowed: SCIENTIST,
      audit: 'model.create',
      run: (client) =>
        client.request(CreateModelDocument, {
          input: { name: uniqueName('m'), task: 'CLASSIFICATION', modality: 'IMAGE' },
        }),
    },
    registerModelVersion: {
      allowed: SCIENTIST,
      audit: 'model_version.register',
      // An upload of the caller's own when it may make one; otherwise an admin's, which the call must not reach.
      prepare: async () => ({ admin: (await upload(api, api.keys.admin, 'model', onnx)).id }),
      run: async (client, ctx, key) => {
        const uploadId = mayUpload(key) ? (await upload(api, key, 'model', onnx)).id : (ctx.admin as string);
        return client.request(RegisterModelVersionDocument, { input: { model, uploadId } });
      },
    },
    setModelAlias: {
      allowed: SCIENTIST,
      audit: 'model_alias.set',
      run: (client) => client.request(SetModelAliasDocument, { input: { model, alias: 'champion', version: 1 } }),
    },
    archiveModelVersion: {
      allowed: SCIENTIST,
      audit: 'model_version.archive',
      prepare: async () => {
        const up = await upload(api, api.keys.admin, 'model', onnx);
        return (await admin.request(RegisterModelVersionDocument, { input: { model, uploadId: up.id } }))
          .registerModelVersion;
      },
      run: (client, ctx) =>
        client.request(ArchiveModelVersionDocument, { input: { model, version: ctx.version as number } }),
    },
    createDataset: {
      allowed: SCIENTIST,
      audit: 'dataset.create',
      run: (client) => client.request(CreateDatasetDocument, { input: { name: uniqueName('d') } }),
    },
    registerDatasetVersion: {
      allowed: SCIENTIST,
      audit: 'dataset_version.register',
      prepare: async () => ({
        admin: (await upload(api, api.keys.admin, 'dataset', new TextEncoder().encode('{"x":[1],"y":0}\n'))).id,
      }),
      run: async (client, ctx, key) => {
        const uploadId = mayUpload(key)
          ? (await upload(api, key, 'dataset', new TextEncoder().encode('{"x":[1],"y":0}\n'))).id
          : (ctx.admin as string);
        return client.request(RegisterDatasetVersionDocument, {
          input: { dataset, uploadId, format: 'JSONL', featureColumns: ['x'], labelColumn: 'y' },
        });
      },
    },
    evaluate: {
      allowed: SCIENTIST,
      audit: 'evaluation.create',
      prepare: async () => ({ datasetVersion: await datasetVersion() }),
      run: (client, ctx) =>
        client.request(EvaluateDocument, {
          input: { model, version: 1, dataset, datasetVersion: ctx.datasetVersion as number },
        }),
    },
    createEndpoint: {
      allowed: ENGINEER,
      audit: 'endpoint.create',
      run: (client) => client.request(CreateEndpointDocument, { input: { name: uniqueName('ep') } }),
    },
    deployModelVersion: {
      allowed: ENGINEER,
      audit: 'rollout.deploy',
      prepare: async () => ({ endpoint: await endpoint() }),
      run: (client, ctx) =>
        client.request(DeployModelVersionBriefDocument, {
          input: { endpoint: ctx.endpoint as string, model, version: 1 },
        }),
    },
    promote: {
      allowed: ENGINEER,
      audit: 'rollout.promote',
      prepare: async () => ({ endpoint: await endpoint(1) }),
      run: (client, ctx) =>
        client.request(PromoteBriefDocument, { input: { endpoint: ctx.endpoint as string, model, version: 2 } }),
    },
    abortRollout: control('abort'),
    pauseRollout: control('pause'),
    resumeRollout: control('resume'),
    approveRollout: control('approve'),
    raiseAlarm: {
      allowed: ['alerts', 'engineer'],
      audit: 'alarm.receive',
      prepare: async () => ({ endpoint: await endpoint() }),
      run: (client, ctx) =>
        client.request(RaiseAlarmDocument, { input: { endpoint: ctx.endpoint as string, name: 'AuthzAlarm' } }),
    },
    createApiKey: {
      allowed: ADMIN,
      audit: 'api_key.create',
      run: (client) => client.request(CreateApiKeyDocument, { input: { name: uniqueName('k'), role: 'VIEWER' } }),
    },
    revokeApiKey: {
      allowed: ADMIN,
      audit: 'api_key.revoke',
      prepare: async () =>
        (await admin.request(CreateApiKeyDocument, { input: { name: uniqueName('victim'), role: 'VIEWER' } }))
          .createApiKey.apiKey,
      run: (client, ctx) => client.request(RevokeApiKeyDocument, { id: ctx.id as string }),
    },
  };

  const audited = async (caller: Caller, action: string): Promise<number> => {
    if (caller === 'none' || caller === 'revoked') return 0;
    const { auditEvents } = await admin.request(AuditEventsDocument, {
      actorId: api.keyIds[caller],
      action,
      first: 1,
    });
    return auditEvents.totalCount;
  };

  it('has a matrix entry for every mutation in the schema, and none for a mutation that is gone', () => {
    expect(Object.keys(cases).sort()).toEqual(schemaMutations);
  });

  it.each(schemaMutations.flatMap((name) => CALLERS.map((caller) => [name, caller] as const)))(
    '%s as %s',
    async (name, caller) => {
      const c = cases[name];
      if (!c) throw new Error(`no authorization matrix entry for the mutation ${name}`);
      const expectedOutcome = expected(c.allowed, caller);
      const ctx = (await c.prepare?.()) ?? {};
      const before = await audited(caller, c.audit);
      const key = keyOf(caller);
      const refusedWith = await outcome(c.run(api.clientWithKey(key), ctx, key));
      if (expectedOutcome === 'allowed') {
        expect(refusedWith).toBeUndefined();
        expect(await audited(caller, c.audit)).toBe(before + 1);
      } else {
        expect(refusedWith).toBe(expectedOutcome);
        expect(await audited(caller, c.audit)).toBe(before);
      }
    },
  );

  describe('webhooks', () => {
    let alarmEndpoint: string;
    beforeAll(async () => {
      alarmEndpoint = await endpoint();
    });

    const alertmanager = (fingerprint: string) => ({
      version: '4',
      status: 'firing',
      alerts: [
        { status: 'firing', labels: { alertname: 'AuthzHook', endpoint: alarmEndpoint }, annotations: {}, fingerprint },
      ],
    });
    const sns = () =>
      signedSnsMessage(
        { Type: 'Notification', Subject: 'ALARM', Message: cloudWatchAlarm('AuthzSns', alarmEndpoint) },
        { keyPem: pki.keyPem, certUrl: `${snsHost.origin}/cert.pem`, version: '2' },
      );
    const webhooks = {
      alertmanager: (key: string | null) =>
        fetch(`${api.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
          body: JSON.stringify(alertmanager(uniqueName('fp'))),
        }),
      sns: (key: string | null) =>
        fetch(`${api.url}/webhooks/sns`, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain',
            ...(key ? { authorization: `Basic ${Buffer.from(`sns:${key}`).toString('base64')}` } : {}),
          },
          body: JSON.stringify(sns()),
        }),
    };
    const status: Record<Outcome, number> = { allowed: 200, FORBIDDEN: 403, UNAUTHENTICATED: 401 };

    it.each(Object.keys(webhooks).flatMap((hook) => CALLERS.map((caller) => [hook, caller] as const)))(
      'POST /webhooks/%s as %s',
      async (hook, caller) => {
        const outcome = expected(['alerts'], caller);
        const before = await audited(caller, 'alarm.receive');
        const res = await webhooks[hook as keyof typeof webhooks](keyOf(caller));
        expect(res.status).toBe(status[outcome]);
        expect(await audited(caller, 'alarm.receive')).toBe(before + (outcome === 'allowed' ? 1 : 0));
      },
    );

    it.each(CALLERS)('PUT /uploads/<id> as %s', async (caller) => {
      const key = keyOf(caller);
      // The caller's own upload where it may create one, else an admin's (which it must not reach).
      const owner = expected(SCIENTIST, caller) === 'allowed' ? key! : api.keys.admin;
      const { createUpload } = await api
        .clientWithKey(owner)
        .request(CreateUploadDocument, { input: { kind: 'MODEL' } });
      const res = await fetch(`${api.url}${createUpload.url}`, {
        method: 'PUT',
        headers: key ? { authorization: `Bearer ${key}` } : {},
        body: onnx,
      });
      expect(res.status).toBe(status[expected(SCIENTIST, caller)]);
    });
  });

  it('lets every role but alerts read, and no key read nothing', async () => {
    const models = (client: FledgeClient) => outcome(client.request(ModelsPageDocument, { first: 1 }));
    for (const role of ['viewer', 'scientist', 'engineer', 'admin'] as const) {
      expect(await models(api.client(role))).toBeUndefined();
    }
    expect(await models(api.client('alerts'))).toBe('FORBIDDEN');
    expect((await api.client('alerts').request(ViewerDocument)).viewer.role).toBe('ALERTS');
    expect(await models(api.clientWithKey(null))).toBe('UNAUTHENTICATED');
    expect(await outcome(api.clientWithKey(null).request(HealthDocument))).toBeUndefined();
  });

  it("answers a rollout's live status within its deadline, saying why, when no worker runs it", async () => {
    const name = await endpoint();
    const { deployModelVersion: started } = await admin.request(DeployModelVersionBriefDocument, {
      input: { endpoint: name, model, version: 1 },
    });
    const t0 = performance.now();
    const error = await refusal(api.client('viewer').request(RolloutDetailDocument, { id: started.id }));
    const elapsedMs = performance.now() - t0;
    // The message in the comparison: a failure shows what the API said instead.
    expect({ code: error.code, reason: error.reason, message: error.message }).toEqual({
      code: 'UNAVAILABLE',
      reason: 'ROLLOUT_WORKER_UNAVAILABLE',
      message: expect.stringContaining('is a Fledge worker running?'),
    });
    // Without the deadline the query waited for the client's own 30 s timeout.
    expect(elapsedMs).toBeLessThan(25_000);
  });
});
