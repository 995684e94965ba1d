import { Worker, type WorkerOptions } from 'node:worker_threads';

// Run from TypeScript sources (tests, `scripts/run.mjs`), a worker thread needs the repo's module
// hooks to resolve `@fledge/*` and `.js` → `.ts` imports: Jest's process does not carry them in
// its execArgv. Built code (`dist/*.js`) needs nothing.
const tsHooks = new URL('../../../../scripts/ts-hooks.mjs', import.meta.url).href;

/** Starts a worker thread from `url` (a `.ts` source or a built `.js` file). */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const fromSource = url.pathname.endsWith('.ts');
  const hooked = process.execArgv.some((a) => a.includes('ts-hooks'));
  const execArgv = fromSource && !hooked ? [...process.execArgv, '--import', tsHooks] : undefined;
  return new Worker(url, { ...options, ...(execArgv ? { execArgv } : {}) });
}

/** The URL of a worker module beside `base` (`name.ts` from sources, `name.js` once built). */
export function workerModuleUrl(name: string, base: string): URL {
  return new URL(base.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, base);
}
