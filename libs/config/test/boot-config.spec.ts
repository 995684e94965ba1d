import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { CONFIG_EXIT_CODE } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

function boot(env: Record<string, string>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ['scripts/run.mjs', path.join(here, 'boot-config.fixture.ts')], {
    cwd: repoRoot,
    env: { PATH, HOME, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bootConfig', () => {
  it('stops the process with a message naming the bad variable', () => {
    const sut = boot({
      FLEDGE_API_PORT: '99999',
      FLEDGE_MODE: 'distributed',
      FLEDGE_SERVING_ADMIN_TOKEN: 'tiny-secret',
    });
    expect(sut.status).toBe(CONFIG_EXIT_CODE);
    expect(sut.stdout).toBe('');
    expect(sut.stderr).toContain('FLEDGE_API_PORT: must be an integer from 1 to 65535');
    expect(sut.stderr).toContain('DATABASE_URL: is required when FLEDGE_MODE=distributed');
    expect(sut.stderr).toContain('FLEDGE_SERVING_ADMIN_TOKEN');
    expect(sut.stderr).not.toContain('tiny-secret');
  });

  it('lets a valid environment through', () => {
    const sut = boot({ FLEDGE_API_PORT: '4321' });
    expect(sut.stderr).toBe('');
    expect(sut.stdout).toBe('booted on port 4321\n');
    expect(sut.status).toBe(0);
  });
});
