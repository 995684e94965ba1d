import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { fledgeSearchAttributes } from '../../src/contracts/search-attributes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// The all-in-one process and the test environments register `fledgeSearchAttributes` itself; the
// shell scripts and the compose file list them by hand, so a new attribute must reach them too.
describe('fledgeSearchAttributes', () => {
  const type = (k: (typeof fledgeSearchAttributes)[number]) => (k.type === 'INT' ? 'Int' : 'Keyword');

  it.each(['scripts/stack', 'docker-compose.yml'])('are all registered by %s, with their types', async (file) => {
    const text = await readFile(path.join(repoRoot, file), 'utf8');
    for (const key of fledgeSearchAttributes) expect(text).toContain(`${key.name}=${type(key)}`);
  });

  it('are all checked by the stack self-test', async () => {
    const text = await readFile(path.join(repoRoot, 'scripts/stack-selftest'), 'utf8');
    for (const key of fledgeSearchAttributes) expect(text).toMatch(new RegExp(`\\b${key.name}\\b`));
  });
});
