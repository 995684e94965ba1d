import { Inject, Injectable, Logger } from '@nestjs/common';
import { type ApiKeyRecord } from '@fledge/domain';
import { ApiKeyRepository, withDbErrors, type PrismaClient } from '@fledge/db';
import { FledgeError } from '@fledge/errors';

import { DB } from '../api.tokens.js';
import { apiKeyCacheKey, hashApiKey, parseApiKey, verifyApiKey } from './api-key-secret.js';
import { type Actor } from './role.js';

const VERIFIED_TTL_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves `Authorization: Bearer <key>` to an actor. scrypt is deliberately slow, so a verified
 * secret is remembered (by digest, in memory) for a few minutes; the key row is still read on every
 * request, so a revocation takes effect at once.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly verified = new Map<string, { keyId: string; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository,
  ) {}

  async authenticate(header: string | string[] | undefined): Promise<Actor | null> {
    if (header === undefined || header === '') return null;
    const value = Array.isArray(header) ? header[0] : header;
    const secret = secretOf(value);
    const parsed = parseApiKey(secret);
    if (!parsed) throw unauthenticated('the API key is malformed');
    const key = await this.keys.findByLookupId(this.db, parsed.lookupId);
    if (!key || !(await this.secretMatches(secret, key))) throw unauthenticated('the API key is not valid');
    if (key.revokedAt) throw unauthenticated(`the API key ${key.name} was revoked`);
    this.touch(key);
    return { apiKeyId: key.id, name: key.name, role: key.role };
  }

  /** Drops remembered verifications of a key (called when it is revoked in this process). */
  forget(keyId: string): void {
    for (const [digest, entry] of this.verified) if (entry.keyId === keyId) this.verified.delete(digest);
  }

  /**
   * Makes sure the configured bootstrap admin key exists, so a fresh install can be administered.
   * The configuration is authoritative for that key's secret, but a revocation is respected.
   */
  async ensureBootstrapAdmin(secret: string | null): Promise<void> {
    if (!secret) return;
    const parsed = parseApiKey(secret);
    if (!parsed)
      throw new FledgeError('INVALID_ARGUMENT', 'FLEDGE_ADMIN_API_KEY is not a Fledge API key (fledge_<12>_<43>)');
    const existing = await this.keys.findByLookupId(this.db, parsed.lookupId);
    if (!existing) {
      const secretHash = await hashApiKey(secret);
      const create = (name: string) =>
        withDbErrors(() =>
          this.keys.create(this.db, { name, lookupId: parsed.lookupId, secretHash, role: 'admin', createdBy: null }),
        );
      // Names are unique among active keys: a replaced bootstrap key that is still active keeps its
      // name, and the new one is told apart by its lookup id.
      const created = await create('bootstrap-admin').catch((error: unknown) => {
        if (FledgeError.is(error, 'CONFLICT') && error.reason === 'API_KEY_NAME_TAKEN')
          return create(`bootstrap-admin-${parsed.lookupId}`);
        throw error;
      });
      this.logger.log(`created the bootstrap admin API key ${created.name} from configuration`);
    } else if (existing.revokedAt) {
      this.logger.warn('the configured bootstrap admin API key was revoked; leaving it revoked');
    }
  }

  private async secretMatches(secret: string, key: ApiKeyRecord): Promise<boolean> {
    const digest = apiKeyCacheKey(secret);
    const now = Date.now();
    const hit = this.verified.get(digest);
    if (hit && hit.keyId === key.id && hit.until > now) return true;
    if (!(await verifyApiKey(secret, key.secretHash))) return false;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(digest, { keyId: key.id, until: now + VERIFIED_TTL_MS });
    return true;
  }

  private touch(key: ApiKeyRecord): void {
    const now = Date.now();
    if ((this.touched.get(key.id) ?? 0) + TOUCH_EVERY_MS > now) return;
    this.touched.set(key.id, now);
    this.keys.touch(this.db, key.id, new Date(now)).catch((error: unknown) => {
      this.logger.warn({ err: error, apiKeyId: key.id }, 'could not record the last use of an API key');
    });
  }
}

/**
 * `Bearer <key>`, or Basic auth whose password is the key (webhook senders such as Amazon SNS can
 * only put credentials in the URL).
 */
function secretOf(header: string): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return decoded.slice(colon + 1);
  }
  throw unauthenticated('the Authorization header must be "Bearer <api key>" (or Basic auth with the key as password)');
}

function unauthenticated(message: string): FledgeError {
  return new FledgeError('UNAUTHENTICATED', message);
}
