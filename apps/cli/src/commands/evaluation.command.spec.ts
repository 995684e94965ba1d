import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';

import { type EvaluationFieldsFragment as EvaluationDetail } from '@fledge/client';
import { parseEvaluationRef, pickPair, type Side } from './evaluation.command.js';

let next = 0;
const evaluation = (
  model: string,
  dataset: string,
  status: EvaluationDetail['status'] = 'SUCCEEDED',
): EvaluationDetail => {
  const [m, v] = model.split('@');
  const [d, dv] = dataset.split('@');
  return {
    id: `ev-${++next}`,
    status,
    rowsDone: 1,
    rowsTotal: 1,
    metrics: null,
    throughput: null,
    latency: null,
    error: null,
    createdBy: 'ci',
    createdAt: '2026-11-23T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    modelVersion: { version: Number(v), model: { name: m, task: 'CLASSIFICATION' } },
    datasetVersion: { version: Number(dv), rowCount: 1, labels: [], dataset: { name: d } },
  };
};
const version = (label: string, ...evaluations: EvaluationDetail[]): Side => ({ kind: 'version', label, evaluations });
const fixed = (e: EvaluationDetail): Side => ({ kind: 'evaluation', label: `evaluation ${e.id}`, evaluation: e });
const strict = { allowDifferentDatasets: false };

describe(pickPair.name, () => {
  it('takes the newest dataset version both versions were graded on', () => {
    const a2 = evaluation('d@1', 'test@2');
    const a1 = evaluation('d@1', 'test@1');
    const b1 = evaluation('d@2', 'test@1');
    expect(pickPair(version('d@1', a2, a1), version('d@2', evaluation('d@2', 'other@1'), b1), strict)).toEqual([
      a1,
      b1,
    ]);
  });

  it("takes the version's evaluation on the dataset of an evaluation given by id, on either side", () => {
    const byId = evaluation('d@1', 'test@1');
    const b1 = evaluation('d@2', 'test@1');
    expect(pickPair(fixed(byId), version('d@2', evaluation('d@2', 'test@2'), b1), strict)).toEqual([byId, b1]);
    expect(pickPair(version('d@2', b1), fixed(byId), strict)).toEqual([b1, byId]);
  });

  it('uses --dataset when given, and skips evaluations that did not succeed', () => {
    const ok = evaluation('d@1', 'test@2');
    const b = evaluation('d@2', 'test@2');
    expect(
      pickPair(
        version('d@1', evaluation('d@1', 'test@2', 'FAILED'), ok),
        version('d@2', b, evaluation('d@2', 'test@1')),
        {
          ...strict,
          dataset: 'test@2',
        },
      ),
    ).toEqual([ok, b]);
  });

  it('refuses a pair graded on different dataset versions unless allowed, naming both', () => {
    const a = evaluation('d@1', 'test@1');
    const b = evaluation('d@2', 'test@2');
    expect(() => pickPair(fixed(a), fixed(b), strict)).toThrow(
      `evaluation ${a.id} was graded on test@1 and evaluation ${b.id} on test@2: metrics on different data do not compare; pass --allow-different-datasets`,
    );
    expect(() => pickPair(version('d@1', a), version('d@2', b), strict)).toThrow(
      'd@1 and d@2 were never graded on the same dataset version (d@1: test@1; d@2: test@2)',
    );
    expect(pickPair(version('d@1', a), version('d@2', b), { allowDifferentDatasets: true })).toEqual([a, b]);
    expect(pickPair(fixed(a), fixed(b), { allowDifferentDatasets: true })).toEqual([a, b]);
  });

  it('says how to grade a version that lacks an evaluation', () => {
    const a = evaluation('d@1', 'test@1');
    expect(() => pickPair(fixed(a), version('d@2', evaluation('d@2', 'test@2')), strict)).toThrow(
      'd@2 has no succeeded evaluation on test@1: grade it first (fledge evaluate d@2 test@1), or pass --allow-different-datasets',
    );
    expect(() => pickPair(fixed(a), version('d@2'), strict)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'EVALUATION_NOT_FOUND' }) as unknown as Error,
    );
  });
});

describe(parseEvaluationRef.name, () => {
  it('reads evaluation ids and model versions', () => {
    expect(parseEvaluationRef('0b7c3f3e-5d8e-4a1b-9c2d-3e4f5a6b7c8d')).toEqual({
      raw: '0b7c3f3e-5d8e-4a1b-9c2d-3e4f5a6b7c8d',
      id: '0b7c3f3e-5d8e-4a1b-9c2d-3e4f5a6b7c8d',
    });
    expect(parseEvaluationRef('digits@2')).toEqual({ raw: 'digits@2', model: { name: 'digits', version: 2 } });
    expect(() => parseEvaluationRef('Not A Ref')).toThrow(InvalidArgumentError);
  });
});
