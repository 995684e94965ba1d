// Runs a TypeScript file of this repo: `node scripts/run.mjs <file.ts> [args...]`. It starts
// `node --import scripts/ts-hooks.mjs <file.ts> [args...]` (see ts-hooks.mjs for what the hooks
// do), passing stdio, signals and the exit status through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const hooks = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'ts-hooks.mjs')).href;
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run.mjs <file.ts> [args...]');
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`run.mjs: no such file: ${file}`);
  process.exit(2);
}

const child = spawn(
  process.execPath,
  [...process.execArgv, '--enable-source-maps', '--import', hooks, path.resolve(file), ...args],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
