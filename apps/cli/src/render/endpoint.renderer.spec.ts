import { describe, expect, it } from '@jest/globals';

import { type EndpointQuery } from '@fledge/client';

import { renderEndpoint, renderEndpointList } from './endpoint.renderer.js';
import { renderRollout, renderRolloutList, type RolloutWithEvents } from './rollout.renderer.js';

type EndpointDetail = NonNullable<EndpointQuery['endpoint']>;

const ID = '0193a5b2-1111-7000-8000-000000000001';
const endpoint: EndpointDetail = {
  id: 'e1',
  name: 'web',
  backend: 'LOCAL',
  description: 'digits',
  options: { batching: { maxBatchSize: 32 } },
  inferenceUrl: 'http://127.0.0.1:8080/v2/endpoints/web/infer',
  createdAt: '2026-11-23T10:00:00.000Z',
  variants: [
    { name: 'digits-v1', role: 'primary', weight: 75, shadowSampleRate: 0, modelName: 'digits', version: 1 },
    { name: 'digits-v2', role: 'canary', weight: 25, shadowSampleRate: 0, modelName: 'digits', version: 2 },
  ],
  activeRollout: {
    id: ID,
    state: 'CANARY',
    currentStep: 2,
    reason: null,
    createdAt: '2026-11-23T11:00:00.000Z',
    finishedAt: null,
    candidate: { version: 2, model: { name: 'digits' } },
    baseline: { version: 1, model: { name: 'digits' } },
  },
  alarms: [
    {
      id: 'a1',
      name: 'HighLatency',
      source: 'operator',
      state: 'firing',
      fingerprint: 'f',
      rolloutId: null,
      receivedAt: '2026-11-23T09:00:00.123Z',
      payload: {},
    },
  ],
};

describe(renderEndpoint.name, () => {
  it('shows the variants with weights, the inference URL, the active rollout and alarms', () => {
    expect(renderEndpoint(endpoint)).toBe(
      [
        'Endpoint:        web',
        'Backend:         local',
        'Description:     digits',
        'Inference URL:   http://127.0.0.1:8080/v2/endpoints/web/infer',
        'Options:         {"batching":{"maxBatchSize":32}}',
        'Created:         2026-11-23 10:00:00Z',
        `Active rollout:  ${ID} canary: digits@1 → digits@2`,
        'Variants',
        'VARIANT    MODEL     ROLE     WEIGHT  SHADOW SAMPLE',
        'digits-v1  digits@1  primary  75%     -',
        'digits-v2  digits@2  canary   25%     -',
        'Recent alarms',
        'RECEIVED              NAME         SOURCE    STATE   ROLLOUT',
        '2026-11-23 09:00:00Z  HighLatency  operator  firing  -',
      ].join('\n'),
    );
  });

  it('says how to start when the endpoint serves nothing', () => {
    const empty = renderEndpoint({ ...endpoint, variants: [], activeRollout: null, alarms: [] });
    expect(empty).toContain('Active rollout:  -');
    expect(empty).toContain('none (deploy a model version: fledge deploy <endpoint> <model>@<version>)');
    expect(renderEndpointList([endpoint], 3)).toBe(
      [
        'NAME  BACKEND  VARIANTS                      CREATED',
        'web   local    digits-v1 75%, digits-v2 25%  2026-11-23 10:00:00Z',
        '(1 of 3; --all for every one)',
      ].join('\n'),
    );
  });
});

describe(renderRollout.name, () => {
  it('shows the rollout, its live status and its events', () => {
    const rollout: RolloutWithEvents = {
      ...endpoint.activeRollout!,
      endpoint: { name: 'web' },
      createdBy: 'ci',
      startedAt: null,
      workflowId: 'rollout:web',
      policy: {},
      evidence: {},
      events: [
        {
          seq: 1,
          type: 'state.changed',
          at: '2026-11-23T11:00:01.000Z',
          payload: { __typename: 'StateChangedEvent', state: 'GATING', reason: null, step: null },
        },
      ],
      live: {
        state: 'CANARY',
        step: null,
        paused: false,
        awaitingApproval: true,
        reason: 'awaiting approval',
        weights: [{ name: 'digits-v2', role: 'canary', weight: 25, shadowSampleRate: 0 }],
        lastChecks: [],
      },
    };
    const text = renderRollout(rollout);
    expect(text).toContain('Live:       CANARY | digits-v2 canary 25% | awaiting approval (fledge rollout approve)');
    expect(text).toContain('\nEvents\n11:00:01  state GATING');
    expect(renderRolloutList([rollout], 1)).toContain(`${ID}  CANARY  digits@1  digits@2`);
  });
});
