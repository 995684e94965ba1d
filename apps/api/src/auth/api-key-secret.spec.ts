import { describe, expect, it } from '@jest/globals';

import { generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from './api-key-secret.js';
import { assertRole, roleAllows } from './role.js';

describe('API key secrets', () => {
  it('generates a key whose secret verifies against its hash and nothing else', async () => {
    const key = await generateApiKey();
    expect(parseApiKey(key.secret)).toEqual({ lookupId: key.lookupId });
    expect(key.hash).not.toContain(key.secret);
    expect(await verifyApiKey(key.secret, key.hash)).toBe(true);
    expect(await verifyApiKey(`${key.secret.slice(0, -1)}x`, key.hash)).toBe(false);
    expect(await verifyApiKey(key.secret, await hashApiKey('other'))).toBe(false);
    expect(await verifyApiKey(key.secret, 'plain')).toBe(false);
  });

  it('rejects malformed keys before any lookup', () => {
    expect(parseApiKey('Bearer abc')).toBeNull();
    expect(parseApiKey('fledge_short_x')).toBeNull();
  });
});

describe('roles', () => {
  it('orders viewer < scientist < engineer < admin', () => {
    expect(roleAllows('admin', 'engineer')).toBe(true);
    expect(roleAllows('scientist', 'engineer')).toBe(false);
    expect(() => assertRole(null, 'viewer', 'models')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => assertRole({ apiKeyId: 'k', name: 'ci', role: 'viewer' }, 'scientist', 'createModel')).toThrow(
      'createModel needs the scientist role; key ci has viewer',
    );
  });

  it('keeps alerts beside the ladder: it may raise alarms and nothing else; admin may do both', () => {
    for (const required of ['viewer', 'scientist', 'engineer', 'admin'] as const) {
      expect(roleAllows('alerts', required)).toBe(false);
    }
    expect(roleAllows('alerts', 'alerts')).toBe(true);
    expect(roleAllows('admin', 'alerts')).toBe(true);
    for (const held of ['viewer', 'scientist', 'engineer'] as const) expect(roleAllows(held, 'alerts')).toBe(false);
    const alerts = { apiKeyId: 'a', name: 'am', role: 'alerts' } as const;
    expect(assertRole(alerts, ['alerts', 'engineer'], 'raiseAlarm')).toBe(alerts);
    expect(() => assertRole({ ...alerts, role: 'viewer' }, ['alerts', 'engineer'], 'raiseAlarm')).toThrow(
      'raiseAlarm needs the alerts or engineer role; key am has viewer',
    );
  });
});
