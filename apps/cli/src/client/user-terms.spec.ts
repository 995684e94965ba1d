import { describe, expect, it } from '@jest/globals';
import { FledgeError } from '@fledge/errors';

import { inCliTerms } from './user-terms.js';

describe(inCliTerms.name, () => {
  it('names the command the user ran instead of the API operation it called', () => {
    const error = new FledgeError('FORBIDDEN', 'createUpload needs the scientist role; key ci has viewer', {
      details: { required: 'scientist', held: 'viewer' },
    });
    const told = inCliTerms(error, 'fledge model register');
    expect(told.message).toBe('fledge model register needs the scientist role; key ci has viewer');
    expect(told).toMatchObject({ code: 'FORBIDDEN', details: { required: 'scientist' } });
  });

  it('leaves other errors as they are', () => {
    const error = new FledgeError('NOT_FOUND', 'model x does not exist');
    expect(inCliTerms(error, 'fledge model show')).toBe(error);
  });
});
