import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from '@jest/globals';

// The judge's unit tests compare it with rank-test.scipy.json; this re-runs the generator against
// the scipy of the stack's venv (PY_REQUIREMENTS in scripts/stack), so the committed reference
// values are scipy's own, not edited by hand, and stay so when scipy is upgraded.
const python = fileURLToPath(new URL('../../../../.tools/venv/bin/python', import.meta.url));
const script = fileURLToPath(new URL('../reference/rank_test_reference.py', import.meta.url));

describe('judge reference values', () => {
  it('are what scipy computes from the seeded samples', async () => {
    expect(existsSync(python)).toBe(true);
    const { stdout } = await promisify(execFile)(python, [script, '--check'], { timeout: 120_000 });
    expect(stdout).toMatch(/rank-test\.scipy\.json matches scipy 1\.17\.1/);
  });
});
