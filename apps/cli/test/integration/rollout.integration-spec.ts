import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFledgeProcesses, uniqueName, type FledgeProcesses } from '@fledge/testing';
import { getModelPath, writeDataset } from '@fledge/trainer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI as a process against the api, worker and serving runtime as processes (Temporal dev
// server, PostgreSQL, S3). No traffic is sent: the SLO policy asks for no samples, so every window
// of the short canary passes on its numbers alone and the rollout finishes in seconds.
describe('fledge deploy / promote --watch against the real rollout workflow', () => {
  let fledge: FledgeProcesses;
  let work: string;
  const model = uniqueName('digits');
  const dataset = uniqueName('digits-test');
  const endpoint = uniqueName('web');
  const labels = JSON.stringify({ labels: Array.from({ length: 10 }, (_, i) => String(i)) });

  const cli = (role: 'admin' | 'engineer', args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'apps/cli/src/main.ts', ...args], {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: work,
          FLEDGE_CONFIG_DIR: path.join(work, 'config'),
          FLEDGE_API_URL: fledge.api.url,
          FLEDGE_API_KEY: fledge.api.keys[role],
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const exits = (run: Run, code: number): Run => {
    if (run.code !== code) {
      throw new Error(
        `fledge exited ${run.code}, expected ${code}:\n${run.stderr}\n${run.stdout}\n` +
          `--- api log tail ---\n${fledge.api.logs().slice(-2000)}`,
      );
    }
    return run;
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fledge-cli-rollout-'));
    fledge = await startFledgeProcesses();
    const file = path.join(work, 'digits-test.jsonl');
    await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 200 });
    const setup: string[][] = [
      ['model', 'create', model, '--task', 'classification', '--modality', 'image'],
      ['model', 'register', model, await getModelPath('digits-mlp'), '--metadata', labels],
      ['model', 'register', model, await getModelPath('digits-mlp-v2'), '--metadata', labels],
      ['dataset', 'create', dataset],
      ['dataset', 'register', dataset, file, '--features', 'pixels', '--label', 'label'],
    ];
    for (const args of setup) exits(await cli('admin', args), 0);
  });

  afterAll(async () => {
    await fledge?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('creates the endpoint and deploys v1 through the gate, straight to 100%', async () => {
    exits(await cli('engineer', ['endpoint', 'create', endpoint, '--description', 'cli test']), 0);
    const run = exits(
      await cli('engineer', [
        'deploy',
        endpoint,
        `${model}@1`,
        '--gate-dataset',
        `${dataset}@1`,
        '--min-accuracy',
        '0.5',
        '--watch',
      ]),
      0,
    );
    expect(run.stdout).toMatch(/gate passed/);
    expect(run.stdout).toMatch(/✓ minAccuracy: [\d.]+ ≥ 0\.5/);
    expect(run.stdout).toContain(`traffic promoting: ${model}-v1 primary 100%`);
    expect(run.stdout).toMatch(/finished SUCCEEDED/);
    expect(run.stderr).toContain('Ctrl-C stops watching; the rollout goes on');

    const show = exits(await cli('engineer', ['endpoint', 'show', endpoint, '--json']), 0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: endpoint,
      activeRollout: null,
      variants: [{ name: `${model}-v1`, role: 'primary', weight: 100 }],
    });
  });

  it('promotes v2 through a 50% canary step to full traffic, printing each step as it happens', async () => {
    const policy = JSON.stringify({
      slo: { minSamples: 0, windowSeconds: 2 },
      shadow: { minSamples: 0 },
      promote: { bakeSeconds: 0 },
    });
    const run = exits(
      await cli('engineer', [
        'promote',
        endpoint,
        `${model}@2`,
        '--policy',
        policy,
        '--gate-dataset',
        `${dataset}@1`,
        '--min-accuracy',
        '0.5',
        '--max-accuracy-drop',
        '0.5',
        '--canary',
        '50:2',
        '--shadow-seconds',
        '0',
        '--check-interval',
        '1',
        '--poll-interval',
        '300',
        '--watch',
      ]),
      0,
    );
    const out = run.stdout;
    expect(out).toMatch(/gate passed/);
    expect(out).toContain(`traffic canary-1: ${model}-v1 primary 50%, ${model}-v2 canary 50%`);
    expect(out).toMatch(/slo canary-1 pass \(observed \d+\/2 s\): canary window within SLO/);
    expect(out).toContain(`traffic final: ${model}-v2 primary 100%`);
    expect(out).toMatch(/finished SUCCEEDED/);
    // In the order they happened.
    const order = [
      'state GATING',
      'gate passed',
      'state CANARY',
      'traffic canary-1',
      'slo canary-1',
      'state PROMOTING',
    ];
    const positions = order.map((text) => out.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const shown = exits(await cli('engineer', ['rollout', 'show', endpoint]), 0).stdout;
    expect(shown).toMatch(/State: +SUCCEEDED/);
    expect(shown).toContain(`traffic canary-1: ${model}-v1 primary 50%, ${model}-v2 canary 50%`);

    const list = exits(await cli('engineer', ['rollout', 'list', endpoint, '--json']), 0);
    expect(JSON.parse(list.stdout).rollouts.map((r: { state: string }) => r.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('refuses to abort when nothing is rolling out (exit 6), and a bad policy flag (exit 2)', async () => {
    const abort = exits(await cli('engineer', ['rollout', 'abort', endpoint, '--reason', 'test']), 6);
    expect(abort.stderr).toMatch(/no active rollout \(FAILED_PRECONDITION\)/);
    exits(await cli('engineer', ['promote', endpoint, `${model}@1`, '--canary', '50:2,10:2']), 2);

    // A firing alarm with no active rollout is stored and shown, not lost.
    const raised = exits(await cli('engineer', ['alarm', 'raise', endpoint, 'HighLatency', '--summary', 'p99']), 0);
    expect(raised.stdout).toMatch(/HighLatency +firing +none active/);
    const show = exits(await cli('engineer', ['endpoint', 'show', endpoint]), 0).stdout;
    expect(show).toMatch(new RegExp(`${model}-v2 +${model}@2 +primary +100%`));
    expect(show).toMatch(/Inference URL: +http/);
    expect(show).toMatch(/Recent alarms\n.*\n.*HighLatency +\S+ +firing/);
  });

  it('runs a short promote from flags alone, merged into --policy, and names flags in refusals', async () => {
    const contradiction = exits(
      await cli('engineer', [
        'promote',
        endpoint,
        `${model}@1`,
        '--policy',
        '{"slo":{"maxErrorRate":0.1}}',
        '--max-error-rate',
        '0.2',
      ]),
      2,
    );
    expect(contradiction.stderr).toContain('--max-error-rate 0.2 contradicts --policy slo.maxErrorRate: 0.1');

    const noDataset = exits(await cli('engineer', ['promote', endpoint, `${model}@1`, '--min-accuracy', '0.9']), 6);
    expect(noDataset.stderr).toContain(
      'error: invalid rollout policy: --gate-dataset is required when a gate rule is set (INVALID_ARGUMENT)',
    );
    expect(noDataset.stderr).not.toContain('datasetVersionId');
    const window = exits(await cli('engineer', ['promote', endpoint, `${model}@1`, '--window', '2d']), 2);
    expect(window.stderr).toContain("option '--window <duration>' argument '2d' is invalid");
    const tooLong = exits(await cli('engineer', ['promote', endpoint, `${model}@1`, '--window', '100000']), 6);
    expect(tooLong.stderr).toContain('invalid rollout policy: --window must be between 1 and 86400');

    // No traffic is sent: the policy asks for no samples, the flags do the rest.
    const run = exits(
      await cli('engineer', [
        'promote',
        endpoint,
        `${model}@1`,
        '--policy',
        '{"slo":{"minSamples":0}}',
        '--no-shadow',
        '--canary',
        '50',
        '--bake',
        '2s',
        '--window',
        '2s',
        '--check-interval',
        '1s',
        '--max-p99-ms',
        '5000',
        '--max-error-rate',
        '0.5',
        '--poll-interval',
        '300',
        '--watch',
      ]),
      0,
    );
    expect(run.stdout).not.toContain('traffic shadow');
    expect(run.stdout).toContain(`traffic canary-1: ${model}-v2 primary 50%, ${model}-v1 canary 50%`);
    expect(run.stdout).toMatch(/finished SUCCEEDED/);
    const shown = JSON.parse(exits(await cli('engineer', ['rollout', 'show', endpoint, '--json']), 0).stdout);
    expect(shown.policy).toMatchObject({
      shadow: { enabled: false },
      canary: { steps: [{ weight: 50, bakeSeconds: 2 }] },
      slo: { minSamples: 0, maxP99LatencyMs: 5000, maxErrorRate: 0.5, windowSeconds: 2 },
      checkIntervalSeconds: 1,
      promote: { bakeSeconds: 2 },
    });
  });

  it('refuses a promote while another rollout holds the endpoint, naming it and how to stop it', async () => {
    const started = exits(
      await cli('engineer', [
        'promote',
        endpoint,
        `${model}@2`,
        '--policy',
        '{"slo":{"minSamples":0}}',
        '--no-shadow',
        '--canary',
        '50:10m',
        '--check-interval',
        '1s',
        '--json',
      ]),
      0,
    );
    const { id } = JSON.parse(started.stdout) as { id: string };
    // Wait (bounded) until its canary step has put the endpoint between versions.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = JSON.parse(exits(await cli('engineer', ['rollout', 'show', id, '--json']), 0).stdout).state;
      if (state === 'CANARY') break;
      if (Date.now() > deadline) throw new Error(`rollout ${id} is ${state}, not CANARY`);
    }
    // Another rollout holds the endpoint: CONFLICT (exit 5), naming it, the split and how to stop it.
    const refused = exits(await cli('engineer', ['promote', endpoint, `${model}@2`]), 5);
    expect(refused.stderr).toContain(`endpoint ${endpoint} is between versions (`);
    expect(refused.stderr).toContain(
      `rollout ${id} (CANARY) is active; wait for it to finish, or abort it with \`fledge rollout abort ${endpoint}\``,
    );
    exits(await cli('engineer', ['rollout', 'abort', endpoint, '--reason', 'test done']), 0);
    const watched = exits(await cli('engineer', ['rollout', 'watch', id, '--poll-interval', '300']), 8);
    expect(watched.stdout).toMatch(/finished ABORTED/);
  });

  it('compares the evaluations the gates made, and refuses pairs graded on different dataset versions', async () => {
    const same = exits(await cli('engineer', ['evaluation', 'compare', `${model}@1`, `${model}@2`]), 0).stdout;
    expect(same).toMatch(new RegExp(`^a: +${model}@1 on ${dataset}@1 `, 'm'));
    expect(same).toMatch(new RegExp(`^b: +${model}@2 on ${dataset}@1 `, 'm'));
    expect(same).toMatch(/^accuracy +0\.\d{4} +0\.\d{4} +[-+]?0\.\d{4} +(better|worse|same)$/m);
    expect(same).toMatch(/^Per class \(b − a\)$/m);

    // A second version of the dataset, graded for v1 only.
    const file = path.join(work, 'digits-test-2.jsonl');
    await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 100 });
    exits(await cli('admin', ['dataset', 'register', dataset, file, '--features', 'pixels', '--label', 'label']), 0);
    const graded = JSON.parse(
      exits(await cli('admin', ['evaluate', `${model}@1`, `${dataset}@2`, '--json']), 0).stdout,
    );
    const v2OnFirst = JSON.parse(
      exits(await cli('engineer', ['evaluation', 'compare', `${model}@1`, `${model}@2`, '--json']), 0).stdout,
    ).b.id as string;

    const missing = exits(
      await cli('engineer', ['evaluation', 'compare', `${model}@1`, `${model}@2`, '--dataset', `${dataset}@2`]),
      3,
    );
    expect(missing.stderr).toContain(
      `${model}@2 has no succeeded evaluation on ${dataset}@2: grade it first (fledge evaluate ${model}@2 ${dataset}@2)`,
    );
    const differ = exits(await cli('engineer', ['evaluation', 'compare', graded.id, v2OnFirst]), 6);
    expect(differ.stderr).toContain(
      `was graded on ${dataset}@2 and evaluation ${v2OnFirst} on ${dataset}@1: metrics on different data do not compare; ` +
        'pass --allow-different-datasets',
    );
    for (const flag of ['--allow-different-datasets', '--force']) {
      const forced = exits(await cli('engineer', ['evaluation', 'compare', graded.id, v2OnFirst, flag]), 0).stdout;
      expect(forced).toContain(`Note: graded on different dataset versions (${dataset}@2 and ${dataset}@1).`);
    }
  });
});
