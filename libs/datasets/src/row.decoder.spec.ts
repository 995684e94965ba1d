import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { type DatasetRow } from './dataset.types.js';
import { createLabelIndexer, unknownLabels } from './label.indexer.js';
import { createRowDecoder, type RowDecoderOptions } from './row.decoder.js';

const row = (rowNumber: number, values: Record<string, unknown>, line = rowNumber): DatasetRow => ({
  rowNumber,
  line,
  values,
});

function thrown(fn: () => unknown): FledgeError {
  try {
    fn();
  } catch (error) {
    if (FledgeError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const image: RowDecoderOptions = {
  inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
  featureColumns: ['pixels'],
  labelColumn: 'label',
  labels: DIGITS,
  task: 'classification',
};
const pixels = (n: number) => Array.from({ length: n }, (_, i) => (i % 256) / 255);

describe('createRowDecoder: image rows (one array column → one input)', () => {
  it('fills the input with the 784 floats and maps the label by name (7 and "7" alike)', () => {
    const sut = createRowDecoder(image);
    const decoded = sut.decode(row(1, { pixels: pixels(784), label: 7 }));
    expect(decoded.inputs.pixels).toEqual(Float32Array.from(pixels(784)));
    expect(decoded.label).toBe(7);
    expect(sut.decode(row(2, { pixels: pixels(784), label: '7' })).label).toBe(7);
    expect(sut.inputs).toEqual([
      expect.objectContaining({
        name: 'pixels',
        datatype: 'FP32',
        columns: ['pixels'],
        rowShape: [784],
        elements: 784,
      }),
    ]);
  });

  it('names the row, the column and the input when the count is wrong', () => {
    const error = thrown(() => createRowDecoder(image).decode(row(17, { pixels: pixels(783), label: 1 })));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.reason).toBe('DATASET_ROW_INVALID');
    expect(error.message).toBe('row 17 (line 17): column pixels has 783 values, input pixels expects 784');
    expect(error.details).toEqual({ row: 17, line: 17, column: 'pixels', input: 'pixels', values: 783, expected: 784 });
    expect(thrown(() => createRowDecoder(image).decode(row(3, { pixels: 0.5, label: 1 }))).message).toBe(
      'row 3 (line 3): column pixels has 1 value, input pixels expects 784',
    );
  });

  it('names the element that is not a number, and a missing or null column', () => {
    const bad = pixels(784) as unknown[];
    bad[12] = 'abc';
    expect(thrown(() => createRowDecoder(image).decode(row(4, { pixels: bad, label: 1 }))).message).toBe(
      'row 4 (line 4): column pixels element 12: "abc" is not a number (input pixels, FP32)',
    );
    bad[12] = null;
    expect(thrown(() => createRowDecoder(image).decode(row(4, { pixels: bad, label: 1 }))).message).toBe(
      'row 4 (line 4): column pixels element 12: null is not a number (input pixels, FP32)',
    );
    expect(thrown(() => createRowDecoder(image).decode(row(5, { label: 1 }))).message).toBe(
      'row 5 (line 5): lacks the feature column pixels (input pixels)',
    );
    expect(thrown(() => createRowDecoder(image).decode(row(6, { pixels: null, label: 1 }))).message).toBe(
      'row 6 (line 6): the feature column pixels is null (input pixels)',
    );
  });

  it('flattens nested arrays into a CNN input [-1,1,28,28] and counts their leaves', () => {
    const sut = createRowDecoder({ ...image, inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 1, 28, 28] }] });
    const grid = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => r * 28 + c));
    const decoded = sut.decode(row(1, { pixels: grid, label: 3 }));
    expect(Array.from(decoded.inputs.image as Float32Array)).toEqual(Array.from({ length: 784 }, (_, i) => i));
    expect(thrown(() => sut.decode(row(2, { pixels: grid.slice(1), label: 3 }))).message).toBe(
      'row 2 (line 2): column pixels has 756 values, input image expects 784',
    );
  });

  it('fixes a dynamic non-batch dimension from the first row and holds later rows to it', () => {
    const sut = createRowDecoder({ ...image, inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, -1] }] });
    expect(sut.decode(row(1, { pixels: [1, 2, 3], label: 0 })).inputs.x).toEqual(Float64Array.from([1, 2, 3]));
    expect(sut.inputs[0].rowShape).toEqual([3]);
    expect(thrown(() => sut.decode(row(2, { pixels: [1, 2], label: 0 }))).message).toBe(
      'row 2 (line 2): column pixels has 2 values, input x expects 3',
    );
  });

  it('refuses unknown labels naming the value and the classes', () => {
    const error = thrown(() => createRowDecoder(image).decode(row(9, { pixels: pixels(784), label: 'seven' })));
    expect(error.reason).toBe('DATASET_LABEL_UNKNOWN');
    expect(error.message).toBe(
      'row 9 (line 9): the label "seven" is not one of the model\'s classes (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)',
    );
    expect(error.details).toMatchObject({ row: 9, column: 'label', value: '"seven"' });
    expect(thrown(() => createRowDecoder(image).decode(row(10, { pixels: pixels(784) }))).message).toBe(
      'row 10 (line 10): lacks the label column label',
    );
  });
});

describe('createRowDecoder: text rows (a string column → a string input)', () => {
  const text: RowDecoderOptions = {
    inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }],
    featureColumns: ['body'],
    labelColumn: 'label',
    labels: ['ham', 'spam'],
    task: 'classification',
  };

  it('passes the raw text and maps label names, or indices when class names are words', () => {
    const sut = createRowDecoder(text);
    expect(sut.decode(row(1, { body: 'WIN money now', label: 'spam' }))).toEqual({
      inputs: { text: ['WIN money now'] },
      label: 1,
    });
    expect(sut.decode(row(2, { body: '', label: 0 }))).toEqual({ inputs: { text: [''] }, label: 0 });
    expect(sut.decode(row(3, { body: 'x', label: '1' })).label).toBe(1);
    expect(thrown(() => sut.decode(row(4, { body: 'x', label: 2 }))).reason).toBe('DATASET_LABEL_UNKNOWN');
  });

  it('names the row of text that is not text', () => {
    expect(thrown(() => createRowDecoder(text).decode(row(5, { body: { a: 1 }, label: 'ham' }))).message).toBe(
      'row 5 (line 5): column body: {"a":1} is not text (input text, BYTES)',
    );
    expect(thrown(() => createRowDecoder(text).decode(row(6, { body: ['a', 'b'], label: 'ham' }))).message).toBe(
      'row 6 (line 6): column body has 2 values, input text expects 1',
    );
  });
});

describe('createRowDecoder: tabular rows (N scalar columns → one input of N values)', () => {
  const columns = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
  const tabular: RowDecoderOptions = {
    inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
    featureColumns: columns,
    labelColumn: 'species',
    labels: ['Adelie', 'Chinstrap', 'Gentoo'],
    task: 'classification',
  };
  const csvRow = (n: number, values: string[], species = 'Gentoo') =>
    row(n, { ...Object.fromEntries(columns.map((c, i) => [c, values[i]])), species }, n + 1);

  it('fills the input in column order, parsing CSV strings', () => {
    const decoded = createRowDecoder(tabular).decode(csvRow(1, ['39.1', ' 18.7 ', '181', '3750']));
    expect(decoded.inputs.features).toEqual(Float32Array.from([39.1, 18.7, 181, 3750]));
    expect(decoded.label).toBe(2);
  });

  it('names the row and column of an empty or non-numeric value', () => {
    expect(thrown(() => createRowDecoder(tabular).decode(csvRow(12, ['39.1', '', '181', '3750']))).message).toBe(
      'row 12 (line 13): column bill_depth_mm: empty, expected a number (input features, FP32)',
    );
    expect(thrown(() => createRowDecoder(tabular).decode(csvRow(13, ['39.1', '18', 'NA', '3750']))).message).toBe(
      'row 13 (line 14): column flipper_length_mm: "NA" is not a number (input features, FP32)',
    );
  });

  it('refuses, before any row, columns that cannot fill the input', () => {
    const error = thrown(() => createRowDecoder({ ...tabular, featureColumns: columns.slice(0, 3) }));
    expect(error.reason).toBe('DATASET_SIGNATURE_MISMATCH');
    expect(error.message).toBe(
      'input features takes 4 values per row, but 3 feature columns are declared (one column holding an array, or one scalar column per value)',
    );
    expect(thrown(() => createRowDecoder({ ...tabular, labelColumn: 'body_mass_g' })).message).toMatch(
      /label column body_mass_g is also a feature column/,
    );
  });

  it('converts to integer, 64-bit and boolean inputs with range checks', () => {
    const ints = createRowDecoder({
      inputs: [{ name: 'x', datatype: 'INT64', shape: [-1, 2] }],
      featureColumns: ['a', 'b'],
      task: 'regression',
    });
    expect(ints.decode(row(1, { a: '9007199254740993', b: -3 })).inputs.x).toEqual(
      BigInt64Array.from([9007199254740993n, -3n]),
    );
    expect(thrown(() => ints.decode(row(2, { a: 1.5, b: 1 }))).message).toMatch(/column a: 1.5 is not an integer/);
    const small = createRowDecoder({
      inputs: [{ name: 'x', datatype: 'UINT8', shape: [-1, 1] }],
      featureColumns: ['a'],
      task: 'regression',
    });
    expect(thrown(() => small.decode(row(1, { a: 256 }))).message).toMatch(
      /column a: 256 is out of range \(input x, UINT8\)/,
    );
    const flags = createRowDecoder({
      inputs: [{ name: 'f', datatype: 'BOOL', shape: [-1, 3] }],
      featureColumns: ['f'],
      task: 'regression',
    });
    expect(flags.decode(row(1, { f: [true, 'false', 1] })).inputs.f).toEqual(Uint8Array.from([1, 0, 1]));
  });

  it('reads regression targets as numbers', () => {
    const sut = createRowDecoder({ ...tabular, labels: undefined, task: 'regression' });
    expect(sut.decode(csvRow(1, ['1', '2', '3', '4'], '0.25')).label).toBe(0.25);
    expect(thrown(() => sut.decode(csvRow(2, ['1', '2', '3', '4'], 'x'))).message).toBe(
      'row 2 (line 3): the label "x" is not a number',
    );
  });
});

describe('createRowDecoder: several inputs map by name', () => {
  const options: RowDecoderOptions = {
    inputs: [
      { name: 'image', datatype: 'FP32', shape: [-1, 4] },
      { name: 'age', datatype: 'FP32', shape: [-1, 1] },
    ],
    featureColumns: ['age', 'image'],
    labelColumn: 'y',
    task: 'classification',
  };

  it('fills each input from the column of its name', () => {
    expect(createRowDecoder(options).decode(row(1, { image: [1, 2, 3, 4], age: 42, y: 1 }))).toEqual({
      inputs: { image: Float32Array.from([1, 2, 3, 4]), age: Float32Array.from([42]) },
      label: 1,
    });
  });

  it('refuses a missing or unused column before any row', () => {
    expect(thrown(() => createRowDecoder({ ...options, featureColumns: ['image'] })).message).toMatch(
      /no feature column is named age/,
    );
    expect(thrown(() => createRowDecoder({ ...options, featureColumns: ['image', 'age', 'extra'] })).message).toBe(
      'feature column extra matches no model input',
    );
  });
});

describe(createLabelIndexer.name, () => {
  it('matches names; takes indices only when no class name is an integer', () => {
    const words = createLabelIndexer(['ham', 'spam']);
    expect([words('ham'), words('spam'), words(0), words('1'), words(2), words('eggs'), words(null)]).toEqual([
      0,
      1,
      0,
      1,
      undefined,
      undefined,
      undefined,
    ]);
    const shifted = createLabelIndexer(['1', '2', '3']);
    expect([shifted(1), shifted('3'), shifted(0)]).toEqual([0, 2, undefined]);
    const strictNames = createLabelIndexer(['ham', 'spam'], 'name');
    expect(strictNames(1)).toBeUndefined();
    const indices = createLabelIndexer(['1', '2', '3'], 'index');
    expect([indices(0), indices(2), indices(3), indices('1')]).toEqual([0, 2, undefined, 1]);
    const open = createLabelIndexer(undefined);
    expect([open(12), open('-1'), open(1.5)]).toEqual([12, undefined, undefined]);
  });
});

describe(unknownLabels.name, () => {
  it('lists the dataset labels that name no class of the model', () => {
    expect(unknownLabels(['0', '1', '2'], ['ham', 'spam'])).toEqual(['2']);
    expect(unknownLabels(['ham', 'spam'], ['ham', 'spam'])).toEqual([]);
    expect(unknownLabels(['0', '1'], ['ham', 'spam'], 'name')).toEqual(['0', '1']);
    expect(unknownLabels(['0', '9', '10'], ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])).toEqual(['10']);
  });
});
