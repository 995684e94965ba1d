import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, '..', 'python', 'export_sklearn_models.py');

export type SklearnModelName =
  | 'iris-logreg'
  | 'iris-logreg-names'
  | 'digits-forest'
  | 'digits-logreg'
  | 'digits-logreg-v2'
  | 'digits-logreg-shifted'
  | 'digits-logits'
  | 'breast-cancer-gboost'
  | 'wine-mlp'
  | 'diabetes-ridge'
  | 'diabetes-ridge-v2';

/** What the exporter recorded about a model: scikit-learn's own metrics on its test set. */
export interface SklearnModelInfo {
  file: string;
  dataset: string;
  task: 'classification' | 'regression';
  classes: string[] | null;
  scores: 'probabilities' | 'logits' | null;
  accuracy?: number;
  logLoss?: number;
  mae?: number;
}

export interface SklearnDatasetInfo {
  file: string;
  rows: number;
  /** Distinct labels (classification), sorted; null for regression targets. */
  labels: string[] | null;
}

export interface SklearnModels {
  dir: string;
  models: Record<SklearnModelName, SklearnModelInfo>;
  datasets: Record<string, SklearnDatasetInfo>;
  /** Share of test rows two models agree on, keyed `a|b`. */
  agreement: Record<string, number>;
  path(name: SklearnModelName): string;
  datasetPath(name: string): string;
}

function repoRoot(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && statSync(manifest).isFile()) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces) return dir;
    }
  }
  return process.cwd();
}

/** The test stack's Python (scikit-learn, skl2onnx and onnx are pinned in scripts/stack), or FLEDGE_PYTHON. */
export function stackPython(): string {
  return process.env.FLEDGE_PYTHON ?? join(repoRoot(), '.tools', 'venv', 'bin', 'python');
}

let pending: Promise<SklearnModels> | undefined;

/**
 * scikit-learn models converted by skl2onnx, with their test sets and scikit-learn's own metrics:
 * exported once per machine and exporter version under `.fledge/cache/sklearn-<hash>` (the
 * export takes about 20 s), then read from there. Concurrent test processes may both export;
 * the first complete directory wins by rename.
 */
export function sklearnModels(): Promise<SklearnModels> {
  pending ??= load();
  return pending;
}

async function load(): Promise<SklearnModels> {
  const hash = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16);
  const cache = join(repoRoot(), '.fledge', 'cache');
  const dir = join(cache, `sklearn-${hash}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    await mkdir(cache, { recursive: true });
    const partial = `${dir}.${process.pid}.${Date.now()}.part`;
    try {
      await promisify(execFile)(stackPython(), [script, partial], { timeout: 300_000 });
      await rename(partial, dir).catch((error: NodeJS.ErrnoException) => {
        if (!existsSync(join(dir, 'manifest.json'))) throw error;
      });
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Pick<
    SklearnModels,
    'models' | 'datasets' | 'agreement'
  >;
  return {
    dir,
    ...manifest,
    path: (name) => join(dir, manifest.models[name].file),
    datasetPath: (name) => join(dir, manifest.datasets[name].file),
  };
}
