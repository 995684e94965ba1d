import { describe, expect, it } from '@jest/globals';

import { canonicalJson, SageMakerNames } from './sagemaker-names.js';

describe(SageMakerNames.name, () => {
  const long = `a${'-b'.repeat(31)}`; // 63 characters, the longest endpoint name

  it('names models and configurations by content, within SageMaker limits', () => {
    for (const endpoint of ['web', long]) {
      const names = new SageMakerNames(endpoint);
      const model = names.model({ image: 'i', env: { a: 1, b: 2 } });
      expect(model).toBe(names.model({ env: { b: 2, a: 1 }, image: 'i' }));
      expect(model).not.toBe(names.model({ image: 'j', env: { a: 1, b: 2 } }));
      expect(model.length).toBeLessThanOrEqual(63);
      expect(model).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
      expect(names.isModel(model)).toBe(true);
      expect(names.isConfig(model)).toBe(false);
      expect(names.isConfig(names.config({ variants: [] }))).toBe(true);
    }
  });

  it('never takes another endpoint sharing a name prefix for its own', () => {
    const web = new SageMakerNames('web');
    const web2 = new SageMakerNames('web-2');
    expect(web.isModel(web2.model({ x: 1 }))).toBe(false);
    expect(web2.alarm('m-v1', 'error-rate').startsWith(web.alarmPrefix())).toBe(false);
    // Truncated readable parts that collide still differ by the hash of the whole name.
    expect(new SageMakerNames(`${long.slice(0, 62)}c`).prefix).not.toBe(new SageMakerNames(long).prefix);
  });

  it('serialises JSON canonically', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[1,{"d":2}]}');
  });
});
