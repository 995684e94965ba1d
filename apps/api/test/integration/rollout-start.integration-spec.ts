import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client } from '@temporalio/client';
import {
  AbortRolloutDocument,
  FledgeApiError,
  readRolloutEvents,
  RegisterModelVersionDocument,
  RolloutEventsPageDocument,
  SetModelAliasDocument,
} from '@fledge/client';
import { type FledgeDatabase } from '@fledge/db';
import {
  openTestDatabase,
  stackEnv,
  startFledgeProcesses,
  TcpProxy,
  uniqueName,
  type FledgeProcesses,
  type TestApi,
} from '@fledge/testing';
import { getModel } from '@fledge/trainer';
import { FledgeRolloutIdAttribute } from '@fledge/workflows';

import { createModel, refusal, upload } from '../support/registry-client.js';
import {
  aliasesOf,
  createEndpoint,
  endpointRollouts,
  listWorkflows,
  quickPolicy,
  stackTemporal,
  startedRolloutId,
  startRollout,
  waitForRollout,
} from '../support/rollout-client.js';

// The api, worker and serving runtime as processes; the API reaches Temporal through a proxy that
// can hold either direction of its traffic, so the API can be killed at a precise point of a
// rollout's start: before the start reached Temporal, or after Temporal started it but before the
// API heard back (and wrote the rollout's row).
describe('starting rollouts (processes; the API killed mid-start; two endpoints, one model)', () => {
  let proxy: TcpProxy;
  let fledge: FledgeProcesses;
  let api: TestApi;
  let temporal: Client;
  let database: FledgeDatabase;
  const model = uniqueName('digits');
  const web = uniqueName('web');
  const batch = uniqueName('batch');
  /** The newest rollout on `web`, as Temporal's run for the endpoint names it. */
  let lastOnWeb: string;

  const rolloutIdOnTemporal = async (endpoint: string) =>
    (await temporal.workflow.getHandle(`rollout:${endpoint}`).describe()).typedSearchAttributes.get(
      FledgeRolloutIdAttribute,
    );

  /**
   * Kills the API (SIGKILL) while a request is held at the proxy, then brings it back on the same
   * port. The new process opens its Temporal connection on first use, and gRPC sends no request
   * before the server's greeting: a test that holds traffic needs a call through that API first.
   */
  const killApiDuring = async (request: Promise<unknown>, held: () => Promise<void>) => {
    await held();
    await api.server.kill('SIGKILL');
    await request;
    proxy.release();
    await api.server.start();
  };

  beforeAll(async () => {
    proxy = await TcpProxy.start(stackEnv().temporalAddress);
    [fledge, temporal, database] = await Promise.all([
      startFledgeProcesses({}, { api: { FLEDGE_TEMPORAL_ADDRESS: proxy.address } }),
      stackTemporal(),
      openTestDatabase(),
    ]);
    api = fledge.api;
    const key = api.keys.scientist;
    await createModel(api, key, model);
    for (const trained of ['digits-mlp', 'digits-mlp-v2'] as const) {
      const { onnx, report } = await getModel(trained);
      const up = await upload(api, key, 'model', onnx);
      await api.client('scientist').request(RegisterModelVersionDocument, {
        input: { model, uploadId: up.id, metadata: { labels: report.labels } },
      });
    }
    for (const name of [web, batch]) {
      await createEndpoint(api, name);
    }
  });

  afterAll(async () => {
    await fledge?.close();
    await temporal?.connection.close();
    await database?.close();
    await proxy?.close();
  });

  it('deploys v1 to the first endpoint through the API (its connection to Temporal is now open)', async () => {
    lastOnWeb = await startedRolloutId(api, 'deployModelVersion', {
      endpoint: web,
      model,
      version: 1,
      policy: quickPolicy(),
    });
    expect((await waitForRollout(api, lastOnWeb)).state).toBe('SUCCEEDED');
    expect(await aliasesOf(api, model)).toEqual([{ name: 'production', version: 1, endpoint: web }]);
  });

  it("pages the rollout's events by cursor, each with its typed payload and the raw detail", async () => {
    // The state turns SUCCEEDED just before rollout.finished is recorded: wait for the last event.
    await waitForRollout(api, lastOnWeb, (r) => r.events.some((e) => e.type === 'rollout.finished'));
    const client = api.client('viewer');
    const all = await readRolloutEvents(client, lastOnWeb, { withDetail: true });
    const paged = await readRolloutEvents(client, lastOnWeb, { pageSize: 2 });
    expect(paged.events.map((e) => e.seq)).toEqual(all.events.map((e) => e.seq));
    expect(all.events.map((e) => e.seq)).toEqual(all.events.map((_, i) => i + 1));
    expect(paged.cursor).toBe(all.cursor);
    // Nothing new after the last cursor; the first page says how many there are in all.
    expect((await readRolloutEvents(client, lastOnWeb, { after: all.cursor })).events).toEqual([]);
    const first = await client.request(RolloutEventsPageDocument, { id: lastOnWeb, first: 1 });
    expect(first.rollout.events).toMatchObject({ totalCount: all.events.length, pageInfo: { hasNextPage: true } });

    // Every event type decodes to its object type (none falls back to the raw detail).
    const byType = new Map(all.events.map((e) => [e.type, e]));
    expect(all.events.filter((e) => e.payload.__typename === 'UnrecognizedRolloutEvent')).toEqual([]);
    expect(byType.get('rollout.started')?.payload).toMatchObject({
      __typename: 'RolloutStartedEvent',
      candidate: { modelName: model, version: 1 },
      baseline: null,
      initiatedBy: api.keyNames.engineer,
    });
    expect(byType.get('gate.evaluated')?.payload).toMatchObject({
      __typename: 'GateEvaluatedEvent',
      gate: { skipped: true, rules: [] },
    });
    const applied = all.events.flatMap((e) => (e.payload.__typename === 'TrafficAppliedEvent' ? [e.payload] : []));
    expect(applied.at(-1)?.variants).toEqual([
      { name: `${model}-v1`, role: 'primary', weight: 100, shadowSampleRate: 0 },
    ]);
    expect(byType.get('rollout.finished')?.payload).toMatchObject({
      __typename: 'RolloutFinishedEvent',
      state: 'SUCCEEDED',
    });
    // The deprecated raw detail is still there for clients that read it.
    expect(byType.get('rollout.finished')?.detail).toMatchObject({ state: 'SUCCEEDED' });

    // A cursor the API did not issue and a page too large are the client's mistakes.
    const refusable: { id: string; first?: number; after?: string }[] = [
      { id: lastOnWeb, after: 'not-a-cursor' },
      { id: lastOnWeb, first: 101 },
    ];
    for (const variables of refusable) {
      const refused = await client.request(RolloutEventsPageDocument, variables).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FledgeApiError);
      expect((refused as FledgeApiError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('an API killed after Temporal started the rollout, before it wrote the row: the rollout records itself and runs', async () => {
    // A run that has recorded its outcome may still be closing; the API would wait for it, and that
    // wait's answer would be held too.
    await temporal.workflow
      .getHandle(`rollout:${web}`)
      .result()
      .catch(() => undefined);
    proxy.hold('toClient');
    const request = startRollout(api, 'promote', { endpoint: web, model, version: 2, policy: quickPolicy() }).catch(
      () => null,
    );
    await killApiDuring(request, async () => {
      while ((await rolloutIdOnTemporal(web)) === lastOnWeb) await new Promise((resolve) => setTimeout(resolve, 100));
    });

    const id = (lastOnWeb = (await rolloutIdOnTemporal(web))!);
    while (!(await endpointRollouts(api, web)).some((r) => r.id === id)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const done = await waitForRollout(api, id);
    expect({ state: done.state, createdBy: done.createdBy }).toEqual({
      state: 'SUCCEEDED',
      createdBy: api.keyNames.engineer,
    });
    // Its record and audit row, written once, name the engineer's request.
    const audit = await database.prisma.auditEvent.findMany({ where: { subjectId: id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'rollout.promote',
        actorName: api.keyNames.engineer,
        requestId: expect.any(String),
      }),
    ]);
    expect(await aliasesOf(api, model)).toEqual([{ name: 'production', version: 2, endpoint: web }]);
  }, 180_000);

  it('refuses a second rollout while one is active, naming it and how to abort it', async () => {
    const held = await startedRolloutId(api, 'promote', {
      endpoint: web,
      model,
      version: 1,
      policy: quickPolicy({ canary: { steps: [{ weight: 50, bakeSeconds: 1 }] }, promote: { requireApproval: true } }),
    });
    await waitForRollout(api, held, (r) => r.reason === 'awaiting approval');

    const refused = await refusal(
      startRollout(api, 'promote', { endpoint: web, model, version: 1, policy: quickPolicy() }),
    );
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'ROLLOUT_ALREADY_ACTIVE' });
    expect(refused.message).toBe(
      `endpoint ${web} is between versions (${[`${model}-v2 50%`, `${model}-v1 50%`].join(', ')}): rollout ${held} ` +
        `(CANARY) is active; wait for it to finish, or abort it with \`fledge rollout abort ${web}\` (GraphQL abortRollout)`,
    );

    await api.client('engineer').request(AbortRolloutDocument, { input: { endpoint: web, reason: 'refused test' } });
    expect((await waitForRollout(api, held)).state).toBe('ABORTED');
    lastOnWeb = held;
    // Temporal lists the aborted rollout as failed, with its outcome.
    const [listed] = await listWorkflows(temporal, `FledgeRolloutId = '${held}'`, (l) => l[0]?.status === 'FAILED');
    expect(listed).toMatchObject({
      workflowId: `rollout:${web}`,
      status: 'FAILED',
      attributes: { FledgeRolloutId: held, FledgeRolloutState: 'ABORTED', FledgeModelVersion: 1 },
    });
  });

  it('an API killed before its start reached Temporal leaves nothing behind: no row, no run', async () => {
    const before = await endpointRollouts(api, web);
    proxy.hold('toServer');
    const request = startRollout(api, 'promote', { endpoint: web, model, version: 1, policy: quickPolicy() }).catch(
      () => null,
    );
    // A StartWorkflowExecution request carries the rollout's input: well over a kilobyte.
    await killApiDuring(request, () => proxy.held('toServer', 1_000));

    expect(await endpointRollouts(api, web)).toEqual(before);
    expect(await rolloutIdOnTemporal(web)).toBe(lastOnWeb);
  }, 180_000);

  it('closes a rollout an earlier API left PENDING with no workflow when the endpoint is next deployed', async () => {
    // What an API that died between writing the row and starting the workflow used to leave.
    const [endpoint, v1] = await Promise.all([
      database.prisma.endpoint.findUniqueOrThrow({ where: { name: batch } }),
      database.prisma.modelVersion.findFirstOrThrow({ where: { model: { name: model }, version: 1 } }),
    ]);
    const orphan = await database.prisma.rollout.create({
      data: {
        endpointId: endpoint.id,
        candidateVersionId: v1.id,
        policy: {},
        workflowId: `rollout:${batch}`,
        createdBy: api.keyNames.engineer,
      },
    });

    const id = await startedRolloutId(api, 'deployModelVersion', {
      endpoint: batch,
      model,
      version: 1,
      policy: quickPolicy(),
    });
    expect((await waitForRollout(api, id)).state).toBe('SUCCEEDED');
    const closed = await database.prisma.rollout.findUniqueOrThrow({ where: { id: orphan.id } });
    expect({ status: closed.status, reason: closed.reason }).toEqual({
      status: 'FAILED',
      reason: `its workflow was no longer running when ${batch} was next promoted`,
    });
    const audit = await database.prisma.auditEvent.findMany({ where: { subjectId: orphan.id } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'rollout.close_orphan', actorName: api.keyNames.engineer }),
    ]);
  });

  it('aliases follow endpoints: the older version on the second endpoint never moves production back', async () => {
    // batch serves v1 (deployed above) while web serves v2: production stays with web.
    expect(await aliasesOf(api, model)).toEqual([{ name: 'production', version: 2, endpoint: web }]);
    const modelId = (await database.prisma.model.findUniqueOrThrow({ where: { name: model } })).id;
    const moves = await database.prisma.auditEvent.findMany({
      where: { subjectId: modelId, action: 'model_alias.set' },
      orderBy: { at: 'asc' },
    });
    // One audit row per move (v1 by the deploy on web, v2 by the promotion), none written twice.
    expect(moves.map((m) => m.after)).toEqual([
      expect.objectContaining({ alias: 'production', version: 1, endpoint: web }),
      expect.objectContaining({ alias: 'production', version: 2, endpoint: web }),
    ]);

    // Set by hand to the version batch serves, production then follows batch's next promotion.
    await api.client('scientist').request(SetModelAliasDocument, { input: { model, alias: 'production', version: 1 } });
    expect(await aliasesOf(api, model)).toEqual([{ name: 'production', version: 1, endpoint: null }]);
    const id = await startedRolloutId(api, 'promote', { endpoint: batch, model, version: 2, policy: quickPolicy() });
    expect((await waitForRollout(api, id)).state).toBe('SUCCEEDED');
    expect(await aliasesOf(api, model)).toEqual([{ name: 'production', version: 2, endpoint: batch }]);
  });

  it('refuses to promote an endpoint left between versions with no active rollout, naming its last one', async () => {
    // As a rollout that could not restore traffic leaves it (the weights still sum to 100).
    const [endpoint, [last]] = await Promise.all([
      database.prisma.endpoint.findUniqueOrThrow({ where: { name: batch } }),
      endpointRollouts(api, batch),
    ]);
    const [v1, v2] = await Promise.all(
      [1, 2].map((version) =>
        database.prisma.modelVersion.findFirstOrThrow({ where: { model: { name: model }, version } }),
      ),
    );
    await database.prisma.$transaction([
      database.prisma.endpointVariant.update({
        where: { endpointId_modelVersionId: { endpointId: endpoint.id, modelVersionId: v2.id } },
        data: { weight: 50 },
      }),
      database.prisma.endpointVariant.create({
        data: { endpointId: endpoint.id, modelVersionId: v1.id, role: 'canary', weight: 50 },
      }),
    ]);

    const refused = await refusal(
      startRollout(api, 'promote', { endpoint: batch, model, version: 1, policy: quickPolicy() }),
    );
    expect(refused).toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `^endpoint ${batch} is between versions \\(${model}-v2 50%, ${model}-v1 50%\\) with no active rollout; ` +
            `its last rollout ${last.id} ended SUCCEEDED`,
        ),
      ),
      code: 'FAILED_PRECONDITION',
      reason: 'ENDPOINT_MID_CHANGE',
    });
  });
});
