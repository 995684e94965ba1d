import { type PenguinsDataset } from './dataset.types.js';
import { readPackageJson } from './package-files.util.js';

interface PenguinRow {
  Species: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}

export const PENGUIN_FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;
const SOURCE_COLUMNS = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];

let cached: PenguinsDataset | undefined;

/**
 * vega-datasets' Palmer penguins: 4 numeric measurements → species. Rows missing any measurement
 * are dropped (342 remain); every fifth remaining row (index % 5 === 4) is a test row.
 */
export function loadPenguins(): PenguinsDataset {
  if (cached) return cached;
  const rows = readPackageJson<PenguinRow[]>('vega-datasets', 'data/penguins.json').filter((r) =>
    SOURCE_COLUMNS.every((c) => typeof r[c] === 'number'),
  );
  const width = SOURCE_COLUMNS.length;
  const split = (keep: (index: number) => boolean) => {
    const chosen = rows.filter((_, i) => keep(i));
    const features = new Float32Array(chosen.length * width);
    const labels = new Int32Array(chosen.length);
    chosen.forEach((r, i) => {
      SOURCE_COLUMNS.forEach((c, j) => (features[i * width + j] = r[c] as number));
      labels[i] = SPECIES.indexOf(r.Species);
    });
    return { rows: chosen.length, width, features, labels };
  };
  cached = {
    name: 'penguins',
    labelNames: SPECIES,
    featureNames: PENGUIN_FEATURES,
    train: split((i) => i % 5 !== 4),
    test: split((i) => i % 5 === 4),
  };
  return cached;
}
