// `npm run bench:serving`: Fledge serving (C) against a bare HTTP server (A) and a naive
// main-thread ORT server (B), 64 connections, digits MLP and CNN, OIP JSON and the binary data
// extension, saturated and at half load. Each server and each load generator runs in its own
// process; Fledge with 1 and with 2 data-plane processes sharing the port. Not part of the test suite.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getModel, loadDigits } from '@fledge/trainer';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'fledge-bench-'));
const DURATION = Number(process.env.FLEDGE_BENCH_SECONDS ?? 8);
const CONNECTIONS = 64;
// Ports from FLEDGE_BENCH_PORT (default 43000) up, one per server started.
let port = Number(process.env.FLEDGE_BENCH_PORT ?? 43_000) + Math.floor(Math.random() * 500);

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  tool: string;
}

/** A request body on disk and the headers it goes with. */
interface Body {
  path: string;
  headers: Record<string, string>;
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
async function wrk(url: string, body: Body, seconds: number, pacingMs?: number): Promise<LoadResult> {
  const script = join(work, 'post.lua');
  const headers = Object.entries(body.headers)
    .map(([k, v]) => `wrk.headers["${k}"] = "${v}"\n`)
    .join('');
  writeFileSync(
    script,
    `wrk.method = "POST"\n${headers}local f = io.open("${body.path}", "rb")\nwrk.body = f:read("*a")\nf:close()\n` +
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

async function autocannon(url: string, body: Body, seconds: number, rate?: number): Promise<LoadResult> {
  const args = [
    join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js'),
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    '-m',
    'POST',
    ...Object.entries(body.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    '-i',
    body.path,
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

const saturate = (url: string, body: Body, seconds = DURATION) =>
  haveWrk ? wrk(url, body, seconds) : autocannon(url, body, seconds);

type Server = { url: string; child: ChildProcess; stdout: () => string };

/**
 * Starts a bench server on the next port. Ports in the range may be in use (the load generator's
 * own client sockets take ephemeral ports there too): a server that exits before it is ready is
 * retried on the next port, a few times.
 */
async function startServer(mode: string, config: Record<string, unknown>): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const server = await startServerOn(port++, mode, config);
    if (server) return server;
    if (attempt === 5) throw new Error(`${mode} server did not start on 5 ports in a row`);
  }
}

async function startServerOn(p: number, mode: string, config: Record<string, unknown>): Promise<Server | null> {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'scripts', 'run.mjs'),
      join(import.meta.dirname, 'bench-servers.ts'),
      mode,
      String(p),
      JSON.stringify(config),
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      // Fledge's other data-plane processes (processes > 1) read the artifact store from here.
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        ...(typeof config.dataDir === 'string'
          ? { FLEDGE_ARTIFACT_STORE: 'local', FLEDGE_ARTIFACT_DIR: join(config.dataDir, 'artifacts') }
          : {}),
      },
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('READY')) {
    if (child.exitCode !== null) return null;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${mode} server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${p}`, child, stdout: () => out };
}

async function stopServer(s: { child: ChildProcess }): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function measure(
  label: string,
  mode: string,
  config: Record<string, unknown>,
  path: string,
  body: Body,
  load: (url: string) => Promise<LoadResult>,
): Promise<LoadResult & { serverStats?: unknown }> {
  const server = await startServer(mode, config);
  let result: LoadResult;
  try {
    await saturate(server.url + path, body, 2);
    result = await load(server.url + path);
  } finally {
    // A failed run must not leave its server behind.
    await stopServer(server);
  }
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
  const digit = loadDigits().test.features.subarray(0, 784);
  const jsonBytes = Buffer.from(
    JSON.stringify({ inputs: [{ name: 'pixels', shape: [1, 784], datatype: 'FP32', data: Array.from(digit) }] }),
  );
  // The binary data extension both ways: the pixels as raw FP32 after the JSON header, outputs too.
  const binaryHead = Buffer.from(
    JSON.stringify({
      inputs: [{ name: 'pixels', shape: [1, 784], datatype: 'FP32', parameters: { binary_data_size: 784 * 4 } }],
      parameters: { binary_data_output: true },
    }),
  );
  const pixels = Float32Array.from(digit);
  const binaryBytes = Buffer.concat([binaryHead, Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)]);
  const json: Body = { path: join(work, 'body.json'), headers: { 'Content-Type': 'application/json' } };
  const binary: Body = {
    path: join(work, 'body.bin'),
    headers: {
      'Content-Type': 'application/octet-stream',
      'Inference-Header-Content-Length': String(binaryHead.length),
    },
  };
  writeFileSync(json.path, jsonBytes);
  writeFileSync(binary.path, binaryBytes);
  const path = '/v2/models/digits/infer';
  console.log(
    `Fledge serving benchmark — ${CONNECTIONS} connections, ${DURATION} s per run, load generator: ${haveWrk ? 'wrk (1 thread)' : 'autocannon'}; ` +
      `request body ${jsonBytes.length} bytes as OIP JSON, ${binaryBytes.length} as binary (one 784-float digit)`,
  );

  // The reply A sends is C's own reply for each body (same size, same headers).
  const probe = await startServer('fledge', { modelPath: mlp.path, dataDir: join(work, 'probe') });
  const replyOf = async (body: Body, bytes: Buffer, name: string) => {
    const res = await fetch(probe.url + path, { method: 'POST', headers: body.headers, body: bytes });
    const replyPath = join(work, name);
    writeFileSync(replyPath, Buffer.from(await res.arrayBuffer()));
    const headerLength = res.headers.get('inference-header-content-length');
    const replyHeaders: Record<string, string> = { 'content-type': res.headers.get('content-type')! };
    if (headerLength) replyHeaders['inference-header-content-length'] = headerLength;
    return { replyPath, replyHeaders };
  };
  const jsonReply = await replyOf(json, jsonBytes, 'reply.json');
  const binaryReply = await replyOf(binary, binaryBytes, 'reply.bin');
  await stopServer(probe);

  const results: Record<string, LoadResult> = {};
  let dirs = 0;
  const fledge = (modelPath: string, shadowModelPath?: string, processes = 1) => ({
    modelPath,
    shadowModelPath,
    processes,
    dataDir: join(work, `c${dirs++}`),
  });
  const sat = (body: Body) => (url: string) => saturate(url, body);
  for (const [proto, body, reply] of [
    ['JSON', json, jsonReply],
    ['binary', binary, binaryReply],
  ] as const) {
    const k = proto === 'JSON' ? '' : '_bin';
    const at = (label: string) => `${label}, ${proto}`;
    results[`A${k}`] = await measure(at('A  bare node:http, fixed reply'), 'bare', reply, path, body, sat(body));
    results[`B_mlp${k}`] = await measure(
      at('B  naive main-thread ORT, MLP'),
      'naive',
      { modelPath: mlp.path },
      path,
      body,
      sat(body),
    );
    results[`C_mlp${k}`] = await measure(
      at('C  Fledge serving, MLP'),
      'fledge',
      fledge(mlp.path),
      path,
      body,
      sat(body),
    );
    results[`C2_mlp${k}`] = await measure(
      at('C2 Fledge serving, 2 processes, MLP'),
      'fledge',
      fledge(mlp.path, undefined, 2),
      path,
      body,
      sat(body),
    );
    results[`B_cnn${k}`] = await measure(
      at('B  naive main-thread ORT, CNN'),
      'naive',
      { modelPath: cnn.path },
      path,
      body,
      sat(body),
    );
    results[`C_cnn${k}`] = await measure(
      at('C  Fledge serving, CNN'),
      'fledge',
      fledge(cnn.path),
      path,
      body,
      sat(body),
    );
    if (proto === 'JSON') {
      results.C_mlp_shadow = await measure(
        at('C  Fledge serving, MLP + 100% shadow'),
        'fledge',
        fledge(mlp.path, mlpV2.path),
        path,
        body,
        sat(body),
      );
    }
    // Half of C's saturated throughput: wrk with per-connection pacing when available (a C load
    // generator keeps its own latency out of the figures), else autocannon's overall rate. A, B
    // and C get the same pacing.
    const half = results[`C_mlp${k}`].rps / 2;
    const pacingMs = Math.max(1, Math.round((CONNECTIONS * 1000) / half));
    const limited = (url: string) =>
      haveWrk ? wrk(url, body, DURATION, pacingMs) : autocannon(url, body, DURATION, half);
    results[`A${k}_half`] = await measure(at('A  bare node:http, half load'), 'bare', reply, path, body, limited);
    results[`B_mlp${k}_half`] = await measure(
      at('B  naive main-thread ORT, MLP, half load'),
      'naive',
      { modelPath: mlp.path },
      path,
      body,
      limited,
    );
    results[`C_mlp${k}_half`] = await measure(
      at('C  Fledge serving, MLP, half load'),
      'fledge',
      fledge(mlp.path),
      path,
      body,
      limited,
    );
    results[`C2_mlp${k}_half`] = await measure(
      at('C2 Fledge serving, 2 processes, MLP, half load'),
      'fledge',
      fledge(mlp.path, undefined, 2),
      path,
      body,
      limited,
    );
    if (proto === 'JSON') {
      results.C_mlp_half_shadow = await measure(
        at('C  Fledge serving, MLP + 100% shadow, half load'),
        'fledge',
        fledge(mlp.path, mlpV2.path),
        path,
        body,
        limited,
      );
    }
  }

  const r = results;
  const line = (label: string, value: number, goal: string, met: boolean) =>
    console.log(`${label.padEnd(40)} ${value.toFixed(2).padStart(6)}   goal ${goal}: ${met ? 'met' : 'MISSED'}`);
  console.log('');
  line('C/A (MLP, JSON, throughput)', r.C_mlp.rps / r.A.rps, '≥ 0.6', r.C_mlp.rps / r.A.rps >= 0.6);
  line('C/B (MLP, JSON, throughput)', r.C_mlp.rps / r.B_mlp.rps, '≥ 1.5', r.C_mlp.rps / r.B_mlp.rps >= 1.5);
  line('C/A (MLP, binary, throughput)', r.C_mlp_bin.rps / r.A_bin.rps, '≥ 0.85', r.C_mlp_bin.rps / r.A_bin.rps >= 0.85);
  console.log(
    `${'C/B (MLP, binary, throughput)'.padEnd(40)} ${(r.C_mlp_bin.rps / r.B_mlp_bin.rps).toFixed(2).padStart(6)}`,
  );
  line('C/B (CNN, JSON, saturated)', r.C_cnn.rps / r.B_cnn.rps, '≥ 2', r.C_cnn.rps / r.B_cnn.rps >= 2);
  console.log(
    `${'C/B (CNN, binary, saturated)'.padEnd(40)} ${(r.C_cnn_bin.rps / r.B_cnn_bin.rps).toFixed(2).padStart(6)}`,
  );
  for (const k of ['', '_bin']) {
    const proto = k === '' ? 'JSON' : 'binary';
    const c = r[`C_mlp${k}_half`].p99 / r[`A${k}_half`].p99;
    line(`p99 at half load, C/A (MLP, ${proto})`, c, '≤ 2', c <= 2);
    console.log(
      `${`  p99 ms: A / B / C (${proto})`.padEnd(40)} ${[r[`A${k}_half`], r[`B_mlp${k}_half`], r[`C_mlp${k}_half`]]
        .map((x) => x.p99.toFixed(2))
        .join(' / ')}`,
    );
  }
  // Processes: C with 1 and with 2 data-plane processes on the same port (half load = the same
  // pacing as A, B and C above: half of C's one-process throughput).
  for (const k of ['', '_bin']) {
    const proto = k === '' ? 'JSON' : 'binary';
    const [c1, c2, a, b] = [r[`C_mlp${k}`], r[`C2_mlp${k}`], r[`A${k}`], r[`B_mlp${k}`]];
    console.log(
      `${`C1 / C2 processes, MLP, ${proto}`.padEnd(40)} C/A ${(c1.rps / a.rps).toFixed(2)} / ${(c2.rps / a.rps).toFixed(2)}` +
        `   C/B ${(c1.rps / b.rps).toFixed(2)} / ${(c2.rps / b.rps).toFixed(2)}   C2/C1 ${(c2.rps / c1.rps).toFixed(2)}`,
    );
    const [h1, h2, ha] = [r[`C_mlp${k}_half`], r[`C2_mlp${k}_half`], r[`A${k}_half`]];
    console.log(
      `${`  p99 at half load, C/A: 1 / 2 processes`.padEnd(40)} ${(h1.p99 / ha.p99).toFixed(2)} / ${(h2.p99 / ha.p99).toFixed(2)}`,
    );
  }
  const shadowRise = r.C_mlp_half_shadow.p99 / r.C_mlp_half.p99 - 1;
  line('100% shadow: p99 rise at half load', shadowRise, '≤ +0.10', shadowRise <= 0.1);
  console.log(
    `${'100% shadow: p99 saturated (ms)'.padEnd(40)} ${r.C_mlp_shadow.p99.toFixed(2)} vs ${r.C_mlp.p99.toFixed(2)} without`,
  );
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s; machine: shared cores, figures move run to run)`);
  console.log(`JSON ${JSON.stringify(results)}`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
