// `npm run train -- --out <dir>`: writes every catalog model (ONNX + report) and the standard
// dataset files, plus a manifest with their digests. Models come from the per-machine cache.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { FledgeError, invalidArgument } from '@fledge/errors';

import { defaultDatasetSpecs, parseDatasetSpec } from './datasets/dataset-spec.util.js';
import { writeDataset, type WrittenDataset } from './datasets/dataset-writer.js';
import { isModelName, type ModelName, modelNames, trainModel } from './models/model-catalog.js';
import { getModel } from './models/model-cache.js';

const usage = `Usage: npm run train -- --out <dir> [options]

  --out <dir>          where to write models/, datasets/ and manifest.json (required)
  --models <a,b,...>   catalog models to write (default: all: ${modelNames.join(', ')})
  --datasets <specs>   dataset files as kind:split:format[:gz][:xN], comma-separated
                       (kind digits|spam|penguins, split train|test, format jsonl|csv, xN repeats N times)
                       default: ${defaultDatasetSpecs.join(',')}
  --no-datasets        write models only
  --cache-dir <dir>    model cache (default: <repo>/.fledge/cache/models)
  --fresh              train now instead of reading the cache (the cache is not updated)
  --help`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      models: { type: 'string' },
      datasets: { type: 'string' },
      'no-datasets': { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (!values.out) throw invalidArgument(`--out is required\n\n${usage}`, { reason: 'CLI_USAGE' });
  const out = resolve(values.out);
  const names = values.models ? values.models.split(',').map((s) => s.trim()) : [...modelNames];
  const unknown = names.filter((n) => !isModelName(n));
  if (unknown.length > 0) {
    throw invalidArgument(`unknown models: ${unknown.join(', ')}; known: ${modelNames.join(', ')}`, {
      reason: 'MODEL_NAME_UNKNOWN',
    });
  }
  const datasetSpecs = values['no-datasets']
    ? []
    : (values.datasets?.split(',') ?? defaultDatasetSpecs).map(parseDatasetSpec);

  await mkdir(join(out, 'models'), { recursive: true });
  const models = [];
  for (const name of names as ModelName[]) {
    const started = performance.now();
    const model = values.fresh ? trainModel(name) : await getModel(name, { cacheDir: values['cache-dir'] });
    const file = join('models', `${name}.onnx`);
    await writeFile(join(out, file), model.onnx);
    await writeFile(join(out, 'models', `${name}.report.json`), `${JSON.stringify(model.report, null, 2)}\n`);
    const source = 'fromCache' in model && model.fromCache ? 'cache' : 'trained';
    console.log(
      `${name.padEnd(18)} ${source.padEnd(7)} ${(performance.now() - started).toFixed(0).padStart(6)} ms  ` +
        `${(model.onnx.length / 1024).toFixed(0).padStart(5)} KiB  test accuracy ${model.report.testAccuracy.toFixed(4)}`,
    );
    models.push({
      file,
      bytes: model.onnx.length,
      sha256: createHash('sha256').update(model.onnx).digest('hex'),
      report: model.report,
    });
  }

  const datasets: Array<Omit<WrittenDataset, 'path'> & { file: string }> = [];
  for (const spec of datasetSpecs) {
    const started = performance.now();
    const file = join('datasets', spec.file);
    const { path, ...written } = await writeDataset(spec.kind, spec.split, join(out, file), {
      format: spec.format,
      gzip: spec.gzip,
      repeat: spec.repeat,
    });
    console.log(
      `${relative(out, path).padEnd(32)} ${String(written.rows).padStart(8)} rows ` +
        `${(written.bytes / 1024 / 1024).toFixed(1).padStart(7)} MiB ${(performance.now() - started).toFixed(0).padStart(6)} ms`,
    );
    datasets.push({ file, ...written });
  }
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ models, datasets }, null, 2)}\n`);
  console.log(`wrote ${models.length} models and ${datasets.length} datasets under ${out}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(FledgeError.is(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
