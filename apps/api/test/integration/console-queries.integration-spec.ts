import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AlarmsDocument,
  CreateEndpointDocument,
  CreateModelDocument,
  CreateUploadDocument,
  DeployModelVersionDocument,
  EndpointLiveStatsDocument,
  FledgeApiError,
  FledgeClient,
  HealthDocument,
  RaiseAlarmDocument,
  RegisterModelVersionDocument,
  RolloutStateDocument,
} from '@fledge/client';
import { OipClient, type OipTensor } from '@fledge/oip-client';
import {
  createTestDatabase,
  startFledgeProcesses,
  uniqueName,
  type FledgeProcesses,
  type TestDatabase,
} from '@fledge/testing';
import { getModel, loadDigits } from '@fledge/trainer';

// The two read models the web console adds: an endpoint's live per-variant statistics (read from
// the real serving runtime through its admin API) and the alarm list across endpoints. The api,
// worker and serving runtime run as separate processes on the stack's servers.
describe('console queries: Endpoint.liveStats and alarms', () => {
  // Its own database: the alarm list spans every endpoint, and other suites raise alarms in the
  // run's shared one.
  let database: TestDatabase;
  let fledge: FledgeProcesses;
  let client: FledgeClient;
  let oip: OipClient;
  const model = uniqueName('stats');
  const served = uniqueName('served');
  const idle = uniqueName('idle');

  const expectError = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => new Error('expected an error'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FledgeApiError);
    return error as FledgeApiError;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fledge = await startFledgeProcesses({ DATABASE_URL: database.url });
    client = new FledgeClient({ apiUrl: fledge.api.url, apiKey: fledge.api.keys.admin });
    await client.request(CreateModelDocument, { input: { name: model, task: 'CLASSIFICATION', modality: 'IMAGE' } });
    const { createUpload } = await client.request(CreateUploadDocument, { input: { kind: 'MODEL' } });
    await client.upload(createUpload.url, (await getModel('digits-mlp')).onnx);
    await client.request(RegisterModelVersionDocument, { input: { model, uploadId: createUpload.id } });
    for (const name of [served, idle]) await client.request(CreateEndpointDocument, { input: { name } });
    const { deployModelVersion } = await client.request(DeployModelVersionDocument, {
      input: { endpoint: served, model, version: 1, policy: { gate: { maxAccuracyDrop: null } } },
    });
    for (;;) {
      const { rollout } = await client.request(RolloutStateDocument, { id: deployModelVersion.id });
      if (rollout.state === 'SUCCEEDED') break;
      if (['REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(rollout.state)) {
        throw new Error(`deploy ended ${rollout.state}: ${rollout.reason}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    oip = new OipClient(fledge.servingUrl);
  });

  afterAll(async () => {
    oip?.close();
    await fledge?.close();
    await database?.drop();
  });

  it("reports each variant's requests/s, latency percentiles and error rate from the serving runtime", async () => {
    const digits = loadDigits().test;
    const input = (r: number): OipTensor[] => [
      {
        name: 'pixels',
        datatype: 'FP32',
        shape: [1, 784],
        data: Array.from(digits.features.subarray(r * 784, (r + 1) * 784)),
      },
    ];
    for (let r = 0; r < 60; r++) expect((await oip.infer(served, input(r))).status).toBe(200);
    // Two requests the runtime refuses as bad input (client errors; whether they count against the
    // error budget is the serving runtime's rule, passed through as it reports it).
    for (let r = 0; r < 2; r++) {
      const bad = await oip.infer(served, [{ name: 'pixels', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }]);
      expect(bad.status).toBe(400);
    }

    const { endpoint } = await client.request(EndpointLiveStatsDocument, { name: served, windowSeconds: 60 });
    const stats = endpoint!.liveStats;
    expect(stats.windowSeconds).toBe(60);
    expect(Math.abs(Date.parse(stats.at) - Date.now())).toBeLessThan(60_000);
    expect(stats.variants).toHaveLength(1);
    const [variant] = stats.variants;
    expect(variant).toMatchObject({ variant: `${model}-v1`, role: 'primary', weight: 100 });
    expect(variant.errors + variant.clientErrors).toBe(2);
    expect(variant.errorRate).toBeCloseTo(variant.errors / variant.requests, 9);
    expect(variant.requests).toBeGreaterThanOrEqual(62);
    expect(variant.requestsPerSecond).toBeCloseTo(variant.requests / 60, 6);
    expect(variant.p50Ms).toBeGreaterThan(0);
    expect(variant.p99Ms).toBeGreaterThanOrEqual(variant.p50Ms);
  });

  it('answers an endpoint that serves nothing with no variants, and refuses a bad window', async () => {
    const { endpoint } = await client.request(EndpointLiveStatsDocument, { name: idle, windowSeconds: 10 });
    expect(endpoint!.liveStats.variants).toEqual([]);
    for (const windowSeconds of [0, 3601]) {
      const error = await expectError(client.request(EndpointLiveStatsDocument, { name: served, windowSeconds }));
      expect(error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        reason: 'WINDOW_INVALID',
        details: { field: 'windowSeconds' },
      });
    }
  });

  it('lists alarms across endpoints newest first, filtered by endpoint, state and source, page by page', async () => {
    await client.request(RaiseAlarmDocument, { input: { endpoint: idle, name: 'HighLatency' } });
    await client.request(RaiseAlarmDocument, { input: { endpoint: idle, name: 'HighLatency', firing: false } });
    await client.request(RaiseAlarmDocument, { input: { endpoint: served, name: 'ErrorBudget' } });
    const viewer = new FledgeClient({ apiUrl: fledge.api.url, apiKey: fledge.api.keys.viewer });

    const all = await viewer.request(AlarmsDocument, { first: 10 });
    expect(all.alarms.totalCount).toBe(3);
    expect(all.alarms.edges.map((e) => [e.node.endpoint.name, e.node.name, e.node.state])).toEqual([
      [served, 'ErrorBudget', 'firing'],
      [idle, 'HighLatency', 'resolved'],
      [idle, 'HighLatency', 'firing'],
    ]);

    const idleFiring = await viewer.request(AlarmsDocument, { first: 10, endpoint: idle, state: 'FIRING' });
    expect(idleFiring.alarms.edges.map((e) => e.node.state)).toEqual(['firing']);
    const bySource = await viewer.request(AlarmsDocument, { first: 10, source: 'alertmanager' });
    expect(bySource.alarms.totalCount).toBe(0);

    const first = await viewer.request(AlarmsDocument, { first: 2 });
    expect(first.alarms.pageInfo.hasNextPage).toBe(true);
    const second = await viewer.request(AlarmsDocument, { first: 2, after: first.alarms.pageInfo.endCursor });
    expect(second.alarms.edges.map((e) => e.node.id)).toEqual([all.alarms.edges[2].node.id]);
    expect(second.alarms.pageInfo.hasNextPage).toBe(false);

    const unknown = await expectError(viewer.request(AlarmsDocument, { first: 10, endpoint: uniqueName('missing') }));
    expect(unknown.code).toBe('NOT_FOUND');
    const badCursor = await expectError(viewer.request(AlarmsDocument, { first: 10, after: 'not-a-cursor' }));
    expect(badCursor).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'CURSOR_INVALID' });
  });

  it('answers UNAVAILABLE, naming the serving runtime, when it is down; the API stays up', async () => {
    await fledge.serving.kill();
    const error = await expectError(client.request(EndpointLiveStatsDocument, { name: served, windowSeconds: 10 }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'SERVING_UNREACHABLE' });
    expect(error.message).toMatch(/serving runtime did not answer/);
    expect(await client.request(HealthDocument)).toEqual({ health: { status: 'ok' } });
  });
});
