import { type Parameters } from 'fast-check';

const intFromEnv = (variable: string, min: number): number | undefined => {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${variable} must be an integer ≥ ${min}`);
  return value;
};

/**
 * fast-check settings for one fuzz suite: a seed (FLEDGE_FUZZ_SEED, else fresh) printed before the
 * run so any failure replays with `FLEDGE_FUZZ_SEED=<seed>` (fast-check's report adds the shrunk
 * path), and a bounded number of cases (FLEDGE_FUZZ_RUNS overrides it for longer runs).
 */
export function fuzzParameters<T>(suite: string, defaultRuns: number): Parameters<T> {
  const seed = intFromEnv('FLEDGE_FUZZ_SEED', 0) ?? ((Date.now() % 2 ** 31) ^ (process.pid << 8)) >>> 0;
  const numRuns = intFromEnv('FLEDGE_FUZZ_RUNS', 1) ?? defaultRuns;
  process.stderr.write(`[fuzz] ${suite}: ${numRuns} cases, seed ${seed} (replay: FLEDGE_FUZZ_SEED=${seed})\n`);
  return { seed, numRuns };
}
