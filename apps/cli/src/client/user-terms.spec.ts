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

  it('names the rollout that holds an endpoint between versions and the commands to follow or stop it', () => {
    const error = new FledgeError('FAILED_PRECONDITION', 'endpoint web is between versions (…)', {
      reason: 'ENDPOINT_MID_CHANGE',
      details: { endpoint: 'web', split: 'd-v1 50%, d-v2 50%', activeRollout: { id: 'r-1', state: 'CANARY' } },
    });
    expect(inCliTerms(error, 'fledge promote').message).toBe(
      'endpoint web is between versions (d-v1 50%, d-v2 50%): rollout r-1 (canary) is changing it; ' +
        'follow it with `fledge rollout watch web` or stop it with `fledge rollout abort web`',
    );
  });

  it('leaves other errors as they are', () => {
    const error = new FledgeError('NOT_FOUND', 'model x does not exist');
    expect(inCliTerms(error, 'fledge model show')).toBe(error);
  });
});
