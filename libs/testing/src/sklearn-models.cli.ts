// `node scripts/run.mjs libs/testing/src/sklearn-models.cli.ts` exports the scikit-learn test models
// into the machine's cache (if not there yet) and prints where. The test command runs it once
// before the suites, so they do not export in parallel while their servers start.
import { sklearnModels } from './sklearn-models.js';

const { dir, models } = await sklearnModels();
process.stdout.write(`${Object.keys(models).length} scikit-learn models in ${dir}\n`);
