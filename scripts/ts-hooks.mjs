// Module hooks that let Node 24 run this repo's TypeScript directly. Load them with
// `node --import ./scripts/ts-hooks.mjs file.ts` (scripts/run.mjs does exactly that); a flag in
// execArgv is inherited by worker threads, so TypeScript workers (the serving runtime's ORT pool)
// get the hooks too, which an in-process registration would not give them.
// Node strips types by itself but knows neither decorators (Nest), nor our `@fledge/*` path
// aliases, nor the `.js` suffix our relative imports carry. `@fledge/<lib>` resolves to the lib's
// `src/index.ts` (tsconfig.base.json `paths`), a relative `./x.js` falls back to `./x.ts` when only
// that exists, and our own .ts files are compiled with swc (same settings as Jest and the builds).
// Dependencies in node_modules are left alone.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import swc from '@swc/core';

import { swcSourceOptions } from './swc-options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(
  Object.entries(tsconfig.compilerOptions.paths ?? {}).map(([name, [target]]) => [
    name,
    pathToFileURL(path.join(root, target)).href,
  ]),
);
const tsExtension = /\.m?ts$/;

function isOwnSource(url) {
  return url.startsWith('file:') && tsExtension.test(url) && !url.includes('/node_modules/');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const alias = aliases.get(specifier);
    if (alias) return { url: alias, format: 'module', shortCircuit: true };
    if (
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      context.parentURL?.startsWith('file:') &&
      !context.parentURL.includes('/node_modules/')
    ) {
      const target = new URL(specifier, context.parentURL);
      const file = fileURLToPath(target);
      if (!existsSync(file)) {
        for (const [from, to] of [
          ['.js', '.ts'],
          ['.mjs', '.mts'],
          ['.cjs', '.cts'],
        ]) {
          if (file.endsWith(from) && existsSync(file.slice(0, -from.length) + to)) {
            return { url: pathToFileURL(file.slice(0, -from.length) + to).href, shortCircuit: true };
          }
        }
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!isOwnSource(url)) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...swcSourceOptions, filename });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
