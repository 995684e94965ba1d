import { type Parameters } from 'fast-check';

const intFromEnv = (variable: string, min: number): number | undefined => {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${variable} must be an integer ≥ ${min}`);
  return value;
};

/** CI's seed: the gate is reproducible; exploring new seeds is a deliberate run (FLEDGE_FUZZ_SEED=random). */
const DEFAULT_SEED = 20261202;

/**
 * fast-check settings for one fuzz suite: a seed (FLEDGE_FUZZ_SEED; `random` for a fresh one, else
 * the fixed DEFAULT_SEED, like the GraphQL and ONNX fuzz suites) printed before the run so any
 * failure replays with `FLEDGE_FUZZ_SEED=<seed>` (fast-check's report adds the shrunk path), and a
 * bounded number of cases (FLEDGE_FUZZ_RUNS overrides it for longer runs).
 */
export function fuzzParameters<T>(suite: string, defaultRuns: number): Parameters<T> {
  const seed =
    process.env.FLEDGE_FUZZ_SEED === 'random'
      ? ((Date.now() % 2 ** 31) ^ (process.pid << 8)) >>> 0
      : (intFromEnv('FLEDGE_FUZZ_SEED', 0) ?? DEFAULT_SEED);
  const numRuns = intFromEnv('FLEDGE_FUZZ_RUNS', 1) ?? defaultRuns;
  process.stderr.write(`[fuzz] ${suite}: ${numRuns} cases, seed ${seed} (replay: FLEDGE_FUZZ_SEED=${seed})\n`);
  return { seed, numRuns };
}
