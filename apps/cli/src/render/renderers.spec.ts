import { describe, expect, it } from '@jest/globals';

import { type DatasetVersionQuery, type ModelVersionFieldsFragment as ModelVersion } from '@fledge/client';

import { renderApiKeys, renderCreatedApiKey } from './api-key.renderer.js';
import { renderDatasetVersion } from './dataset.renderer.js';
import { formatBytes, formatShape, formatTime } from './format.util.js';
import { renderModelVersion } from './model.renderer.js';

type DatasetVersion = DatasetVersionQuery['datasetVersion'];

const version: ModelVersion = {
  id: 'v1',
  model: { name: 'digits' },
  version: 3,
  artifactUri: 's3://bucket/models/digits/3.onnx',
  sha256: 'c0ffee'.padEnd(64, '0'),
  sizeBytes: 104_321,
  format: 'onnx',
  status: 'REGISTERED',
  description: '',
  metadata: { epochs: 5 },
  createdBy: 'alice',
  createdAt: '2026-11-23T10:11:12.345Z',
  signature: {
    inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
  },
  prediction: {
    output: 'probabilities',
    kind: 'CLASS_SCORES',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    classSource: 'index',
    scoresOutput: 'probabilities',
    scores: 'PROBABILITIES',
    scoresSource: 'detected',
  },
  aliases: ['production'],
  trainingDataset: { version: 2, dataset: { name: 'mnist' } },
  evaluations: [],
  endpoints: [{ endpoint: 'digits-prod', role: 'primary', weight: 100 }],
};

const noAnsi = (text: string) => expect(text.includes('\u001b[')).toBe(false);

describe('renderers', () => {
  it('shows a model version with its signature, lineage and metadata', () => {
    const text = renderModelVersion(version);
    noAnsi(text);
    expect(text).toMatch(/^Model: +digits$/m);
    expect(text).toMatch(/^Status: +registered$/m);
    expect(text).toMatch(new RegExp(`^sha256: +${version.sha256}$`, 'm'));
    expect(text).toMatch(/^Training data: +mnist@2$/m);
    expect(text).toMatch(/^Description: +-$/m);
    expect(text).toMatch(/^input +pixels +FP32 +\[\?, 784\]$/m);
    expect(text).toMatch(/^output +probabilities +FP32 +\[\?, 10\]$/m);
    expect(text).toMatch(/^digits-prod +primary +100$/m);
    expect(text).toContain('"epochs": 5');
    expect(text).toMatch(
      /^probabilities \(class scores\)\nclasses: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 \(from index\)\nscores: probabilities as probabilities \(detected\)$/m,
    );
    expect(text).not.toContain('Evaluations');
  });

  it('shows a dataset version', () => {
    const dataset: DatasetVersion = {
      id: 'd1',
      dataset: { name: 'mnist' },
      version: 1,
      rowCount: 1000,
      format: 'CSV',
      compression: 'GZIP',
      sizeBytes: 2048,
      sha256: 'ab'.repeat(32),
      createdAt: '2026-11-23T10:00:00Z',
      uri: 's3://b/d',
      featureColumns: ['a', 'b'],
      labelColumn: 'label',
      labels: ['0', '1'],
      metadata: {},
      createdBy: 'alice',
      evaluations: [],
      trainedModelVersions: [],
    };
    const text = renderDatasetVersion(dataset);
    expect(text).toMatch(/^Features: +a, b$/m);
    expect(text).toMatch(/^Compression: +gzip$/m);
    expect(text).not.toContain('Metadata');
  });

  it('lists keys without secrets and shows a new secret once', () => {
    const key = {
      id: 'k1',
      name: 'ci',
      role: 'ADMIN' as const,
      lookupId: 'abc123',
      createdAt: '2026-11-23T10:00:00Z',
      revokedAt: null,
      lastUsedAt: null,
    };
    expect(renderApiKeys([key])).toMatch(/^k1 +ci +admin +abc123 +2026-11-23 10:00:00Z +- +-$/m);
    const created = renderCreatedApiKey({ apiKey: key, secret: 'fledge_s' });
    expect(created.match(/fledge_s/g)).toHaveLength(1);
  });

  it('formats sizes, times and shapes for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(104_321)).toBe('102 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
    expect(formatTime('2026-11-23T10:11:12.345Z')).toBe('2026-11-23 10:11:12Z');
    expect(formatShape([-1, 28, 28])).toBe('[?, 28, 28]');
  });
});
