// `npm run bench:serving`: Fledge serving (C) against a bare HTTP server (A) and a naive
// main-thread ORT server (B), 64 connections, digits MLP and CNN. Each server and each load
// generator runs in its own process. Not part of the test suite.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getModel, loadDigits } from '@fledge/trainer';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'fledge-bench-'));
const DURATION = Number(process.env.FLEDGE_BENCH_SECONDS ?? 8);
const CONNECTIONS = 64;
let port = 18_600 + Math.floor(Math.random() * 300);

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  tool: string;
}

function ensureWrk(): boolean {
  if (spawnSync('wrk', ['--version']).error === undefined) return true;
  if (process.getuid?.() === 0) {
    console.log('installing wrk (apt-get install -y wrk)...');
    spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
    return spawnSync('wrk', ['--version']).error === undefined;
  }
  return false;
}

const haveWrk = ensureWrk();

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

/** wrk at saturation, or paced: each connection waits `pacingMs` between requests (wrk's Lua `delay`). */
async function wrk(url: string, bodyPath: string, seconds: number, pacingMs?: number): Promise<LoadResult> {
  const script = join(work, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("${bodyPath}", "rb")\nwrk.body = f:read("*a")\nf:close()\n` +
      (pacingMs ? `function delay()\n  return ${pacingMs}\nend\n` : ''),
  );
  const out = await run('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, url]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors:.*/.exec(out)?.[0];
  if (!Number.isFinite(rps)) throw new Error(`could not parse wrk output:\n${out}`);
  return {
    rps,
    p50,
    p99,
    errors: non2xx + (socketErrors ? 1 : 0),
    tool: pacingMs ? `wrk, ${pacingMs} ms pacing per connection` : 'wrk',
  };
}

async function autocannon(url: string, bodyPath: string, seconds: number, rate?: number): Promise<LoadResult> {
  const args = [
    join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js'),
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-i',
    bodyPath,
    '-j',
  ];
  if (rate) args.push('-R', String(Math.round(rate)));
  const out = await run(process.execPath, [...args, url]);
  const json = JSON.parse(out.slice(out.indexOf('{'))) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    rps: json.requests.average,
    p50: json.latency.p50,
    p99: json.latency.p99,
    errors: json.non2xx + json.errors,
    tool: rate ? `autocannon -R ${Math.round(rate)}` : 'autocannon',
  };
}

const saturate = (url: string, body: string, seconds = DURATION) =>
  haveWrk ? wrk(url, body, seconds) : autocannon(url, body, seconds);

async function startServer(
  mode: string,
  config: Record<string, unknown>,
): Promise<{ url: string; child: ChildProcess; stdout: () => string }> {
  const p = port++;
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'scripts', 'run.mjs'),
      join(import.meta.dirname, 'bench-servers.ts'),
      mode,
      String(p),
      JSON.stringify(config),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('READY')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${mode} server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${p}`, child, stdout: () => out };
}

async function stopServer(s: { child: ChildProcess }): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function measure(
  label: string,
  mode: string,
  config: Record<string, unknown>,
  path: string,
  body: string,
  load: (url: string) => Promise<LoadResult>,
): Promise<LoadResult & { serverStats?: unknown }> {
  const server = await startServer(mode, config);
  await saturate(server.url + path, body, 2);
  const result = await load(server.url + path);
  await stopServer(server);
  const statsLine = /STATS (.*)/.exec(server.stdout())?.[1];
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  console.log(
    `${label.padEnd(44)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms  errors ${result.errors}  (${result.tool})`,
  );
  return { ...result, serverStats: statsLine ? JSON.parse(statsLine) : undefined };
}

async function main(): Promise<void> {
  const started = Date.now();
  const [mlp, mlpV2, cnn] = await Promise.all([
    getModel('digits-mlp'),
    getModel('digits-mlp-v2'),
    getModel('digits-cnn'),
  ]);
  const digit = Array.from(loadDigits().test.features.subarray(0, 784));
  const bodyPath = join(work, 'body.json');
  writeFileSync(
    bodyPath,
    JSON.stringify({ inputs: [{ name: 'pixels', shape: [1, 784], datatype: 'FP32', data: digit }] }),
  );
  const path = '/v2/models/digits/infer';
  console.log(
    `Fledge serving benchmark — ${CONNECTIONS} connections, ${DURATION} s per run, load generator: ${haveWrk ? 'wrk (1 thread)' : 'autocannon'}; ` +
      `request body ${JSON.stringify(digit).length + 90} bytes (one 784-float digit, OIP JSON)`,
  );

  // The reply A sends is C's own reply for this body (same size).
  const probe = await startServer('fledge', { modelPath: mlp.path, dataDir: join(work, 'probe') });
  const reply = Buffer.from(
    await (
      await fetch(probe.url + path, {
        method: 'POST',
        body: JSON.stringify({ inputs: [{ name: 'pixels', shape: [1, 784], datatype: 'FP32', data: digit }] }),
      })
    ).arrayBuffer(),
  );
  await stopServer(probe);
  const replyPath = join(work, 'reply.json');
  writeFileSync(replyPath, reply);

  const results: Record<string, LoadResult> = {};
  const sat = (url: string) => saturate(url, bodyPath);
  results.A = await measure('A  bare node:http, fixed reply', 'bare', { replyPath }, path, bodyPath, sat);
  results.B_mlp = await measure('B  naive main-thread ORT, MLP', 'naive', { modelPath: mlp.path }, path, bodyPath, sat);
  results.C_mlp = await measure(
    'C  Fledge serving, MLP',
    'fledge',
    { modelPath: mlp.path, dataDir: join(work, 'c1') },
    path,
    bodyPath,
    sat,
  );
  results.B_cnn = await measure('B  naive main-thread ORT, CNN', 'naive', { modelPath: cnn.path }, path, bodyPath, sat);
  results.C_cnn = await measure(
    'C  Fledge serving, CNN',
    'fledge',
    { modelPath: cnn.path, dataDir: join(work, 'c2') },
    path,
    bodyPath,
    sat,
  );
  results.C_mlp_shadow = await measure(
    'C  Fledge serving, MLP + 100% shadow',
    'fledge',
    { modelPath: mlp.path, shadowModelPath: mlpV2.path, dataDir: join(work, 'c3') },
    path,
    bodyPath,
    sat,
  );
  // Half of C's saturated throughput: wrk with per-connection pacing when available (a C load
  // generator keeps its own latency out of the figures), else autocannon's overall rate.
  const half = results.C_mlp.rps / 2;
  const pacingMs = Math.max(1, Math.round((CONNECTIONS * 1000) / half));
  const limited = (url: string) =>
    haveWrk ? wrk(url, bodyPath, DURATION, pacingMs) : autocannon(url, bodyPath, DURATION, half);
  results.A_half = await measure(
    'A  bare node:http at the same pacing',
    'bare',
    { replyPath },
    path,
    bodyPath,
    limited,
  );
  results.C_mlp_half = await measure(
    `C  Fledge serving, MLP at half load`,
    'fledge',
    { modelPath: mlp.path, dataDir: join(work, 'c4') },
    path,
    bodyPath,
    limited,
  );
  results.C_mlp_half_shadow = await measure(
    `C  Fledge serving, MLP + 100% shadow, half load`,
    'fledge',
    { modelPath: mlp.path, shadowModelPath: mlpV2.path, dataDir: join(work, 'c5') },
    path,
    bodyPath,
    limited,
  );

  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const goal = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const cOverA = results.C_mlp.rps / results.A.rps;
  const cOverB = results.C_cnn.rps / results.B_cnn.rps;
  const shadowRise = results.C_mlp_half_shadow.p99 / results.C_mlp_half.p99 - 1;
  console.log('');
  console.log(
    `C/A (MLP, throughput)           ${ratio(results.C_mlp.rps, results.A.rps)}   goal ≥ 0.9: ${goal(cOverA >= 0.9)}`,
  );
  console.log(`C/B (MLP, throughput)           ${ratio(results.C_mlp.rps, results.B_mlp.rps)}`);
  console.log(
    `C/B (CNN, throughput)           ${ratio(results.C_cnn.rps, results.B_cnn.rps)}   goal ≥ 2: ${goal(cOverB >= 2)}`,
  );
  console.log(
    `p99 at half load (MLP)          ${results.C_mlp_half.p99.toFixed(2)} ms (bare server, same pacing: ${results.A_half.p99.toFixed(2)} ms)   goal ≤ 2 ms: ${goal(results.C_mlp_half.p99 <= 2)}`,
  );
  console.log(
    `p99 with 100% shadow, half load ${results.C_mlp_half_shadow.p99.toFixed(2)} ms vs ${results.C_mlp_half.p99.toFixed(2)} ms (${(shadowRise * 100).toFixed(0)}%)   goal ≤ +10%: ${goal(shadowRise <= 0.1)}`,
  );
  console.log(
    `p99 with 100% shadow, saturated ${results.C_mlp_shadow.p99.toFixed(2)} ms vs ${results.C_mlp.p99.toFixed(2)} ms`,
  );
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s; machine: shared cores, figures move run to run)`);
  console.log(`JSON ${JSON.stringify(results)}`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
