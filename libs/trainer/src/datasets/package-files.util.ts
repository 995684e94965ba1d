import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { FledgeError } from '@fledge/errors';

const require = createRequire(import.meta.url);

/** The installed folder of an npm package, even when its `exports` hide package.json. */
export function packageDir(name: string): string {
  let entry: string;
  try {
    entry = require.resolve(`${name}/package.json`);
    return dirname(entry);
  } catch {
    try {
      entry = require.resolve(name);
    } catch (cause) {
      throw new FledgeError('FAILED_PRECONDITION', `the data package ${name} is not installed`, {
        reason: 'DATA_PACKAGE_MISSING',
        details: { package: name },
        cause,
      });
    }
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
  }
  throw new FledgeError('FAILED_PRECONDITION', `cannot locate the folder of ${name}`, {
    reason: 'DATA_PACKAGE_MISSING',
    details: { package: name },
  });
}

export function readPackageJson<T>(name: string, relativePath: string): T {
  return JSON.parse(readFileSync(join(packageDir(name), relativePath), 'utf8')) as T;
}
