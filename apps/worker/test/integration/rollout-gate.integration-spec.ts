import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client } from '@temporalio/client';
import {
  AbortRolloutDocument,
  ModelVersionEvaluationsDocument,
  RegisterModelVersionDocument,
  RolloutsDocument,
  type EvaluationFieldsFragment,
} from '@fledge/client';
import { startFledgeProcesses, uniqueName, type FledgeProcesses, type TestApi } from '@fledge/testing';
import { getModel, writeDataset, type WrittenDataset } from '@fledge/trainer';

import { createModel, upload } from '../../../api/test/support/registry-client.js';
import {
  createEndpoint,
  listWorkflows,
  quickPolicy,
  readRollout,
  stackTemporal,
  startedRolloutId,
  waitForRollout,
  type RolloutView,
} from '../../../api/test/support/rollout-client.js';
import { registerDatasetFile } from '../support/grading-client.js';

const columns = (d: WrittenDataset) => ({
  format: d.format,
  featureColumns: d.featureColumns.map((c) => c.name),
  labelColumn: d.labelColumn,
});

const at = (r: RolloutView, type: string, match: (detail: any) => boolean = () => true) => {
  const event = r.events.find((e) => e.type === type && match(e.detail));
  if (!event) throw new Error(`rollout ${r.id} has no ${type} event: ${JSON.stringify(r.events)}`);
  return Date.parse(event.at);
};

// The worker as a process with its usual 4 activity slots, and more gated deploys at once than
// that: each gate grades its candidate with the deliberately slow digits model, so the gradings
// queue for the worker's slots while every gate waits. A gate that held a slot while it waited
// would starve the gradings it waits for.
describe('the offline gate waits in the workflow (worker process, Temporal dev server, PostgreSQL, S3)', () => {
  const ROLLOUTS = 6;
  let fledge: FledgeProcesses;
  let api: TestApi;
  let temporal: Client;
  let dir: string;
  const model = uniqueName('digits-slow');
  const endpoints = Array.from({ length: ROLLOUTS }, () => uniqueName('gate'));
  let small: { name: string; version: number };
  let large: { name: string; version: number };

  const registerVersion = async (bytes: Uint8Array, labels: readonly string[]) => {
    const up = await upload(api, api.keys.scientist, 'model', bytes);
    const { registerModelVersion } = await api.client('scientist').request(RegisterModelVersionDocument, {
      input: { model, uploadId: up.id, metadata: { labels } },
    });
    return registerModelVersion.version;
  };

  /** The version's evaluation on the dataset, once it exists. */
  const evaluationOf = async (version: number, dataset: string): Promise<EvaluationFieldsFragment> => {
    for (;;) {
      const { modelVersion } = await api.client().request(ModelVersionEvaluationsDocument, { model, version });
      const found = modelVersion?.evaluations.find((e) => e.datasetVersion.dataset.name === dataset);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-gate-'));
    [fledge, temporal] = await Promise.all([startFledgeProcesses(), stackTemporal()]);
    api = fledge.api;
    const slow = await getModel('digits-mlp-slow');
    await createModel(api, api.keys.scientist, model);
    for (let i = 0; i < ROLLOUTS; i++) await registerVersion(slow.onnx, slow.report.labels);
    const smallFile = await writeDataset('digits', 'test', path.join(dir, 'small.jsonl'), {
      format: 'jsonl',
      limit: 128,
    });
    const largeFile = await writeDataset('digits', 'test', path.join(dir, 'large.jsonl'), {
      format: 'jsonl',
      limit: 512,
    });
    small = await registerDatasetFile(api, uniqueName('digits-128'), smallFile.path, columns(smallFile));
    large = await registerDatasetFile(api, uniqueName('digits-512'), largeFile.path, columns(largeFile));
    for (const name of endpoints) {
      await createEndpoint(api, name);
    }
  });

  afterAll(async () => {
    await fledge?.close();
    await temporal?.connection.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs more gated deploys than activity slots to the end, and an abort while gating stops at once', async () => {
    // Versions 1..5 gate on 128 rows; version 6 on 512, and is aborted while its grading waits or runs.
    const ids = await Promise.all(
      endpoints.map((endpoint, i) =>
        startedRolloutId(api, 'deployModelVersion', {
          endpoint,
          model,
          version: i + 1,
          policy: quickPolicy({
            gate: { dataset: `${i === ROLLOUTS - 1 ? large.name : small.name}@1`, minAccuracy: 0.5 },
          }),
        }),
      ),
    );
    const abortedId = ids[ROLLOUTS - 1];
    // Once its gate has started the grading, which then queues behind the others or runs.
    await evaluationOf(ROLLOUTS, large.name);
    await api
      .client('engineer')
      .request(AbortRolloutDocument, { input: { endpoint: endpoints[ROLLOUTS - 1], reason: 'wrong dataset' } });
    const aborted = await waitForRollout(api, abortedId, undefined, 30_000);
    // Read at once: the gate did not wait for its grading to end.
    const abortedGrading = await evaluationOf(ROLLOUTS, large.name);
    expect({ state: aborted.state, reason: aborted.reason }).toEqual({
      state: 'ABORTED',
      reason: expect.stringContaining('wrong dataset'),
    });
    expect(['PENDING', 'RUNNING']).toContain(abortedGrading.status);

    const done = await Promise.all(ids.slice(0, -1).map((id) => waitForRollout(api, id, undefined, 600_000)));
    expect(done.map((r) => r.state)).toEqual(Array(ROLLOUTS - 1).fill('SUCCEEDED'));
    // Every gate was waiting at the same time, more of them than the worker has activity slots.
    const lastGateOpened = Math.max(
      ...[...done, aborted].map((r) => at(r, 'state.changed', (d) => d.state === 'GATING')),
    );
    const firstGateDecided = Math.min(...done.map((r) => at(r, 'gate.evaluated')));
    expect(lastGateOpened).toBeLessThan(firstGateDecided);

    // The aborted run closed with no activity left running, and read no grading after the abort.
    const { events } = await temporal.workflow.getHandle(`rollout:${endpoints[ROLLOUTS - 1]}`).fetchHistory();
    const open = new Set<string>();
    let signalled = false;
    const afterAbort: string[] = [];
    for (const e of events!) {
      if (e.workflowExecutionSignaledEventAttributes) signalled = true;
      if (e.activityTaskScheduledEventAttributes) {
        open.add(String(e.eventId));
        if (signalled) afterAbort.push(e.activityTaskScheduledEventAttributes.activityType!.name!);
      }
      const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
      if (closed) open.delete(String(closed.scheduledEventId));
    }
    expect(open.size).toBe(0);
    expect(new Set(afterAbort)).toEqual(new Set(['setRolloutState', 'recordEvent']));

    // The grading the abort left alone finishes and is kept for the next rollout to reuse.
    const deadline = Date.now() + 600_000;
    let kept = abortedGrading;
    while (kept.status !== 'SUCCEEDED' && kept.status !== 'FAILED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      kept = await evaluationOf(ROLLOUTS, large.name);
    }
    expect(kept.status).toBe('SUCCEEDED');
    expect(Date.parse(kept.finishedAt!)).toBeGreaterThan(at(await readRollout(api, abortedId), 'rollout.finished'));
    // Six slow gradings share one worker: a minute on a quiet machine, several on a loaded one. A
    // starved worker never ends.
  }, 900_000);

  it('lets operators find every run in Temporal: rollouts by id and outcome, gradings by model and dataset', async () => {
    const listedRollouts = await listWorkflows(
      temporal,
      `WorkflowType = 'rolloutWorkflow' AND FledgeModel = '${model}'`,
      (l) => l.length === ROLLOUTS && l.every((w) => w.status !== 'RUNNING'),
    );
    const byEndpoint = new Map(listedRollouts.map((w) => [w.attributes.FledgeEndpoint, w]));
    for (const [i, endpoint] of endpoints.entries()) {
      const rollout = await readRollout(api, (await readLatest(endpoint)).id);
      const aborted = i === ROLLOUTS - 1;
      expect(byEndpoint.get(endpoint)).toEqual({
        workflowId: `rollout:${endpoint}`,
        type: 'rolloutWorkflow',
        // A rollout that did not promote fails its run: the list shows it, not "Completed".
        status: aborted ? 'FAILED' : 'COMPLETED',
        attributes: {
          FledgeEndpoint: endpoint,
          FledgeModel: model,
          FledgeModelVersion: i + 1,
          FledgeRolloutId: rollout.id,
          FledgeRolloutState: aborted ? 'ABORTED' : 'SUCCEEDED',
        },
      });
    }
    const byId = await listWorkflows(
      temporal,
      `FledgeRolloutId = '${(await readLatest(endpoints[0])).id}'`,
      (l) => l.length === 1,
    );
    expect(byId.map((w) => w.workflowId)).toEqual([`rollout:${endpoints[0]}`]);

    const gradings = await listWorkflows(
      temporal,
      `WorkflowType = 'gradingWorkflow' AND FledgeModel = '${model}'`,
      (l) => l.length === ROLLOUTS && l.every((w) => w.status === 'COMPLETED'),
    );
    expect(
      gradings
        .map((w): Record<string, unknown> => ({ status: w.status, ...w.attributes }))
        .sort((a, b) => Number(a.FledgeModelVersion) - Number(b.FledgeModelVersion)),
    ).toEqual(
      Array.from({ length: ROLLOUTS }, (_, i) => ({
        status: 'COMPLETED',
        FledgeModel: model,
        FledgeModelVersion: i + 1,
        FledgeDataset: i === ROLLOUTS - 1 ? large.name : small.name,
        FledgeDatasetVersion: 1,
      })),
    );
  });

  const readLatest = async (endpoint: string) =>
    (await api.client().request(RolloutsDocument, { endpoint, first: 1 })).rollouts.edges[0].node;
});
