import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const params = { N: 16_384, r: 8, p: 1, keylen: 32 };

/**
 * API key secrets look like `fledge_<lookup>_<secret>`: the lookup id finds the row, the secret is
 * verified against its scrypt hash. Only the hash is stored; the whole key is shown once.
 */
export interface GeneratedApiKey {
  lookupId: string;
  secret: string;
  hash: string;
}

const keyPattern = /^fledge_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export async function generateApiKey(): Promise<GeneratedApiKey> {
  const lookupId = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = `fledge_${lookupId}_${randomBytes(32).toString('base64url')}`;
  return { lookupId, secret, hash: await hashApiKey(secret) };
}

export function parseApiKey(secret: string): { lookupId: string } | null {
  const match = keyPattern.exec(secret);
  return match ? { lookupId: match[1] } : null;
}

export async function hashApiKey(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, params.keylen, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 64 * 1024 * 1024,
  });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyApiKey(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A digest for in-memory caches of verified keys; never stored, never logged. */
export function apiKeyCacheKey(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
