import { invalidArgument } from '@fledge/errors';

import { type DatasetFormat, type DatasetKind, type SplitName } from './dataset-writer.js';

/** The dataset files `npm run train` writes unless told otherwise. */
export const defaultDatasetSpecs: readonly string[] = [
  'digits:train:jsonl:gz',
  'digits:test:jsonl',
  'digits:test:csv',
  'spam:train:jsonl:gz',
  'spam:test:jsonl',
  'spam:test:csv',
  'penguins:train:csv',
  'penguins:test:csv',
  'penguins:test:jsonl',
];

export interface DatasetSpec {
  kind: DatasetKind;
  split: SplitName;
  format: DatasetFormat;
  gzip: boolean;
  repeat: number;
  file: string;
}

/** Parses `kind:split:format[:gz][:xN]` (e.g. `digits:test:jsonl:gz:x100`) into writer options and a file name. */
export function parseDatasetSpec(spec: string): DatasetSpec {
  const [kind, split, format, ...flags] = spec.split(':');
  const bad = () =>
    invalidArgument(`bad dataset spec "${spec}" (expected kind:split:format[:gz][:xN])`, {
      reason: 'DATASET_SPEC_INVALID',
    });
  if (!['digits', 'spam', 'penguins'].includes(kind) || !['train', 'test'].includes(split)) throw bad();
  if (!['jsonl', 'csv'].includes(format)) throw bad();
  let gzip = false;
  let repeat = 1;
  for (const flag of flags) {
    if (flag === 'gz') gzip = true;
    else if (/^x[1-9][0-9]*$/.test(flag)) repeat = Number(flag.slice(1));
    else throw bad();
  }
  const file = `${kind}-${split}${repeat > 1 ? `-x${repeat}` : ''}.${format}${gzip ? '.gz' : ''}`;
  return { kind: kind as DatasetKind, split: split as SplitName, format: format as DatasetFormat, gzip, repeat, file };
}
