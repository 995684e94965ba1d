import { describe, expect, it } from '@jest/globals';

import { formatFromFileName } from './dataset.command.js';

describe(formatFromFileName.name, () => {
  it.each([
    ['rows.jsonl', 'jsonl'],
    ['data/rows.ndjson.gz', 'jsonl'],
    ['ROWS.CSV', 'csv'],
    ['rows.csv.gz', 'csv'],
    ['rows.json', undefined],
    ['rows.gz', undefined],
  ])('%s → %s', (file, format) => {
    expect(formatFromFileName(file)).toBe(format);
  });
});
