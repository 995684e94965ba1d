// `node scripts/run.mjs libs/testing/src/test-fixtures.cli.ts` builds the models the suites share
// into the machine's caches, if not there yet: every catalog model (trained from the bundled
// datasets) and the scikit-learn models (exported by skl2onnx). The test command runs it once
// before the suites, so parallel suites do not each train the same models while their servers
// start (under load that alone exceeded a suite's two-minute setup).
import { getModel, modelNames } from '@fledge/trainer';

import { sklearnModels } from './sklearn-models.js';

const started = Date.now();
for (const name of modelNames) await getModel(name);
const { models } = await sklearnModels();
process.stdout.write(
  `${modelNames.length} catalog and ${Object.keys(models).length} scikit-learn models ready ` +
    `(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
);
