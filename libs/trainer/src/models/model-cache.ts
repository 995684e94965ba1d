import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { catalogEntry, type ModelName } from './model-catalog.js';
import { type ModelReport, type TrainedModel } from './model.types.js';

const trainerRoot = dirname(dirname(fileURLToPath(import.meta.url)));

let fingerprint: string | undefined;

/**
 * A digest of the trainer's own code (its src or dist folder; tests, CLI and barrel excluded) and the runtime:
 * any change to how models are trained invalidates every cached model.
 */
export function trainerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(process.version);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
      .filter((f) => /\.(ts|js)$/.test(f) && !/(\.spec|\.d|\/cli|\/index)\.(ts|js)$/.test(f));
  for (const file of walk(trainerRoot).sort()) {
    hash.update(relative(trainerRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  fingerprint = hash.digest('hex').slice(0, 16);
  return fingerprint;
}

/** `.fledge/cache/models` under the repository that contains this module (or the working directory). */
export function defaultModelCacheDir(): string {
  for (let dir = trainerRoot; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && statSync(manifest).isFile()) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces) return join(dir, '.fledge', 'cache', 'models');
    }
  }
  return join(process.cwd(), '.fledge', 'cache', 'models');
}

export function modelCacheKey(name: ModelName): string {
  const { config } = catalogEntry(name);
  const digest = createHash('sha256')
    .update(JSON.stringify({ name, config }))
    .update(trainerFingerprint())
    .digest('hex')
    .slice(0, 16);
  return `${name}-${digest}`;
}

interface CachedSidecar {
  readonly sha256: string;
  readonly report: ModelReport;
  readonly testPredictions: number[];
}

export interface GetModelOptions {
  readonly cacheDir?: string;
}

/** A cached model: its ONNX file on disk plus what training reported. */
export interface CachedModel extends TrainedModel {
  readonly path: string;
  readonly sha256: string;
  readonly fromCache: boolean;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readCached(onnxPath: string, sidecarPath: string): Promise<CachedModel | undefined> {
  try {
    const [onnx, sidecarText] = await Promise.all([readFile(onnxPath), readFile(sidecarPath, 'utf8')]);
    const sidecar = JSON.parse(sidecarText) as CachedSidecar;
    // A torn or tampered file is retrained, never served.
    if (sha256(onnx) !== sidecar.sha256) return undefined;
    return {
      onnx: new Uint8Array(onnx.buffer, onnx.byteOffset, onnx.byteLength),
      report: sidecar.report,
      testPredictions: Int32Array.from(sidecar.testPredictions),
      path: onnxPath,
      sha256: sidecar.sha256,
      fromCache: true,
    };
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * The named catalog model, trained at most once per machine and code version: bytes live under
 * `<cacheDir>/<name>-<hash of config + trainer code>.onnx` with a JSON sidecar (report, digest).
 */
export function getModel(name: ModelName, options: GetModelOptions = {}): Promise<CachedModel> {
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const key = modelCacheKey(name);
  // concurrent callers in one process share one read-or-train
  const id = join(cacheDir, key);
  let pending = inFlight.get(id);
  if (!pending) {
    pending = readOrTrain(name, cacheDir, key).finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

const inFlight = new Map<string, Promise<CachedModel>>();

async function readOrTrain(name: ModelName, cacheDir: string, key: string): Promise<CachedModel> {
  const onnxPath = join(cacheDir, `${key}.onnx`);
  const sidecarPath = join(cacheDir, `${key}.json`);
  const cached = await readCached(onnxPath, sidecarPath);
  if (cached) return cached;
  const trained = catalogEntry(name).train();
  const digest = sha256(trained.onnx);
  const sidecar: CachedSidecar = {
    sha256: digest,
    report: trained.report,
    testPredictions: Array.from(trained.testPredictions),
  };
  await mkdir(cacheDir, { recursive: true });
  // The sidecar goes last: a reader that finds it also finds the complete model.
  await writeAtomically(onnxPath, trained.onnx);
  await writeAtomically(sidecarPath, JSON.stringify(sidecar));
  return { ...trained, path: onnxPath, sha256: digest, fromCache: false };
}

/** The cached model's file path (training it first if needed), for tests that upload files. */
export async function getModelPath(name: ModelName, options: GetModelOptions = {}): Promise<string> {
  return (await getModel(name, options)).path;
}
