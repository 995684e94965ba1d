import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
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

import { createModel, errorCode, expectData, REGISTER_MODEL_VERSION, upload } from '../support/registry-client.js';
import { cloudWatchAlarm, createTestPki, FakeSnsHost, signedSnsMessage, type TestPki } from '../support/sns-signing.js';

type Caller = TestRole | 'none' | 'revoked';
type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Result = { data?: any; errors?: { extensions?: Record<string, unknown> }[] };

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
  run: (key: string | null, ctx: Record<string, any>) => Promise<Result>;
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
    expectData(await createModel(api, api.keys.admin, model));
    expectData(
      await api.graphql('mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }', {
        i: { name: dataset },
      }),
    );
    for (let v = 0; v < 2; v++) {
      const up = await upload(api, api.keys.admin, 'model', onnx);
      expectData(await api.graphql(REGISTER_MODEL_VERSION, { input: { model, uploadId: up.id } }));
    }
    const created = expectData(
      await api.graphql<any>(
        'mutation($n: String!) { createApiKey(input: { name: $n, role: ADMIN }) { apiKey { id } secret } }',
        {
          n: uniqueName('to-revoke'),
        },
      ),
    ).createApiKey;
    revokedKey = created.secret;
    expectData(
      await api.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.apiKey.id }),
    );
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
  const gql = (query: string, variables: Record<string, unknown>, key: string | null) =>
    api.graphql(query, variables, key);
  const datasetVersion = async () => {
    const up = await upload(
      api,
      api.keys.admin,
      'dataset',
      new TextEncoder().encode('{"x":[1],"y":0}\n{"x":[2],"y":1}\n'),
    );
    return expectData(
      await api.graphql<any>(
        'mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version } }',
        {
          i: { dataset, uploadId: up.id, format: 'JSONL', featureColumns: ['x'], labelColumn: 'y' },
        },
      ),
    ).registerDatasetVersion.version as number;
  };
  const endpoint = async (serving?: number) => {
    const name = uniqueName('authz-ep');
    const created = expectData(
      await api.graphql<any>('mutation($n: String!) { createEndpoint(input: { name: $n }) { id } }', { n: name }),
    ).createEndpoint;
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
    expectData(
      await api.graphql('mutation($i: PromoteInput!) { deployModelVersion(input: $i) { id } }', {
        i: { endpoint: name, model, version: 1 },
      }),
    );
    return { endpoint: name };
  };
  const control = (mutation: string): MutationCase => ({
    allowed: ENGINEER,
    audit: `rollout.${mutation.replace('Rollout', '')}`,
    prepare: activeRollout,
    run: (key, ctx) =>
      gql(
        `mutation($i: RolloutControlInput!) { ${mutation}(input: $i) { id } }`,
        { i: { endpoint: ctx.endpoint, reason: 'authz' } },
        key,
      ),
  });

  // Inputs that succeed for an allowed caller, so "allowed" means the call really did its work.
  const cases: Record<string, MutationCase> = {
    createUpload: {
      allowed: SCIENTIST,
      audit: 'upload.create',
      run: (key) => gql('mutation { createUpload(input: { kind: MODEL }) { id } }', {}, key),
    },
    createModel: {
      allowed: SCIENTIST,
      audit: 'model.create',
      run: (key) =>
        gql(
          `mutation { createModel(input: { name: "${uniqueName('m')}", task: CLASSIFICATION, modality: IMAGE }) { id } }`,
          {},
          key,
        ),
    },
    registerModelVersion: {
      allowed: SCIENTIST,
      audit: 'model_version.register',
      // An upload of the caller's own when it may make one; otherwise an admin's, which the call must not reach.
      prepare: async () => ({ admin: (await upload(api, api.keys.admin, 'model', onnx)).id }),
      run: async (key, ctx) => {
        const uploadId = mayUpload(key) ? (await upload(api, key, 'model', onnx)).id : ctx.admin;
        return gql(REGISTER_MODEL_VERSION, { input: { model, uploadId } }, key);
      },
    },
    setModelAlias: {
      allowed: SCIENTIST,
      audit: 'model_alias.set',
      run: (key) =>
        gql(
          'mutation($m: String!) { setModelAlias(input: { model: $m, alias: "champion", version: 1 }) { name } }',
          { m: model },
          key,
        ),
    },
    archiveModelVersion: {
      allowed: SCIENTIST,
      audit: 'model_version.archive',
      prepare: async () => {
        const up = await upload(api, api.keys.admin, 'model', onnx);
        return expectData(await api.graphql<any>(REGISTER_MODEL_VERSION, { input: { model, uploadId: up.id } }))
          .registerModelVersion;
      },
      run: (key, ctx) =>
        gql(
          'mutation($m: String!, $v: Int!) { archiveModelVersion(input: { model: $m, version: $v }) { status } }',
          { m: model, v: ctx.version },
          key,
        ),
    },
    createDataset: {
      allowed: SCIENTIST,
      audit: 'dataset.create',
      run: (key) =>
        gql(
          'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
          { i: { name: uniqueName('d') } },
          key,
        ),
    },
    registerDatasetVersion: {
      allowed: SCIENTIST,
      audit: 'dataset_version.register',
      prepare: async () => ({
        admin: (await upload(api, api.keys.admin, 'dataset', new TextEncoder().encode('{"x":[1],"y":0}\n'))).id,
      }),
      run: async (key, ctx) => {
        const uploadId = mayUpload(key)
          ? (await upload(api, key, 'dataset', new TextEncoder().encode('{"x":[1],"y":0}\n'))).id
          : ctx.admin;
        return gql(
          'mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version } }',
          { i: { dataset, uploadId, format: 'JSONL', featureColumns: ['x'], labelColumn: 'y' } },
          key,
        );
      },
    },
    evaluate: {
      allowed: SCIENTIST,
      audit: 'evaluation.create',
      prepare: async () => ({ datasetVersion: await datasetVersion() }),
      run: (key, ctx) =>
        gql(
          'mutation($i: EvaluateInput!) { evaluate(input: $i) { id } }',
          { i: { model, version: 1, dataset, datasetVersion: ctx.datasetVersion } },
          key,
        ),
    },
    createEndpoint: {
      allowed: ENGINEER,
      audit: 'endpoint.create',
      run: (key) =>
        gql('mutation($n: String!) { createEndpoint(input: { name: $n }) { id } }', { n: uniqueName('ep') }, key),
    },
    deployModelVersion: {
      allowed: ENGINEER,
      audit: 'rollout.deploy',
      prepare: async () => ({ endpoint: await endpoint() }),
      run: (key, ctx) =>
        gql(
          'mutation($i: PromoteInput!) { deployModelVersion(input: $i) { id } }',
          { i: { endpoint: ctx.endpoint, model, version: 1 } },
          key,
        ),
    },
    promote: {
      allowed: ENGINEER,
      audit: 'rollout.promote',
      prepare: async () => ({ endpoint: await endpoint(1) }),
      run: (key, ctx) =>
        gql(
          'mutation($i: PromoteInput!) { promote(input: $i) { id } }',
          { i: { endpoint: ctx.endpoint, model, version: 2 } },
          key,
        ),
    },
    abortRollout: control('abortRollout'),
    pauseRollout: control('pauseRollout'),
    resumeRollout: control('resumeRollout'),
    approveRollout: control('approveRollout'),
    raiseAlarm: {
      allowed: ['alerts', 'engineer'],
      audit: 'alarm.receive',
      prepare: async () => ({ endpoint: await endpoint() }),
      run: (key, ctx) =>
        gql(
          'mutation($i: RaiseAlarmInput!) { raiseAlarm(input: $i) { id } }',
          { i: { endpoint: ctx.endpoint, name: 'AuthzAlarm' } },
          key,
        ),
    },
    createApiKey: {
      allowed: ADMIN,
      audit: 'api_key.create',
      run: (key) =>
        gql(
          'mutation($n: String!) { createApiKey(input: { name: $n, role: VIEWER }) { secret } }',
          { n: uniqueName('k') },
          key,
        ),
    },
    revokeApiKey: {
      allowed: ADMIN,
      audit: 'api_key.revoke',
      prepare: async () =>
        expectData(
          await api.graphql<any>(
            'mutation($n: String!) { createApiKey(input: { name: $n, role: VIEWER }) { apiKey { id } } }',
            {
              n: uniqueName('victim'),
            },
          ),
        ).createApiKey.apiKey,
      run: (key, ctx) => gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: ctx.id }, key),
    },
  };

  const audited = async (caller: Caller, action: string): Promise<number> => {
    if (caller === 'none' || caller === 'revoked') return 0;
    return expectData(
      await api.graphql<any>(
        'query($id: ID!, $a: String!) { auditEvents(actorId: $id, action: $a, first: 1) { totalCount } }',
        {
          id: api.keyIds[caller],
          a: action,
        },
      ),
    ).auditEvents.totalCount;
  };

  it('has a matrix entry for every mutation in the schema, and none for a mutation that is gone', () => {
    expect(Object.keys(cases).sort()).toEqual(schemaMutations);
  });

  it.each(schemaMutations.flatMap((name) => CALLERS.map((caller) => [name, caller] as const)))(
    '%s as %s',
    async (name, caller) => {
      const c = cases[name];
      if (!c) throw new Error(`no authorization matrix entry for the mutation ${name}`);
      const outcome = expected(c.allowed, caller);
      const ctx = (await c.prepare?.()) ?? {};
      const before = await audited(caller, c.audit);
      const result = await c.run(keyOf(caller), ctx);
      if (outcome === 'allowed') {
        expect(result.errors).toBeUndefined();
        expect(await audited(caller, c.audit)).toBe(before + 1);
      } else {
        expect(errorCode(result)).toBe(outcome);
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
      const created = expectData(
        await api.graphql<any>('mutation { createUpload(input: { kind: MODEL }) { url } }', {}, owner),
      );
      const res = await fetch(`${api.url}${created.createUpload.url}`, {
        method: 'PUT',
        headers: key ? { authorization: `Bearer ${key}` } : {},
        body: onnx,
      });
      expect(res.status).toBe(status[expected(SCIENTIST, caller)]);
    });
  });

  it('lets every role but alerts read, and no key read nothing', async () => {
    for (const role of ['viewer', 'scientist', 'engineer', 'admin'] as const) {
      expect(errorCode(await api.graphql('{ models(first: 1) { totalCount } }', {}, api.keys[role]))).toBeUndefined();
    }
    expect(errorCode(await api.graphql('{ models(first: 1) { totalCount } }', {}, api.keys.alerts))).toBe('FORBIDDEN');
    expect(expectData(await api.graphql<any>('{ viewer { role } }', {}, api.keys.alerts)).viewer.role).toBe('ALERTS');
    expect(errorCode(await api.graphql('{ models(first: 1) { totalCount } }', {}, null))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.graphql('{ health { status } }', {}, null))).toBeUndefined();
  });
});
