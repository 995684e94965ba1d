import { type ApiKeyFieldsFragment as ApiKey, type CreateApiKeyMutation } from '@fledge/client';

import { formatTime, table, lower } from './format.util.js';

type CreatedApiKey = CreateApiKeyMutation['createApiKey'];

export function renderApiKeys(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return 'No API keys.';
  return table(
    ['id', 'name', 'role', 'lookup id', 'created', 'last used', 'revoked'],
    keys.map((k) => [
      k.id,
      k.name,
      lower(k.role),
      k.lookupId,
      formatTime(k.createdAt),
      formatTime(k.lastUsedAt),
      formatTime(k.revokedAt),
    ]),
  );
}

/** The only place the CLI ever prints a key: the new secret, once. */
export function renderCreatedApiKey(created: CreatedApiKey): string {
  return [renderApiKeys([created.apiKey]), '', `Secret (shown only now; store it safely): ${created.secret}`].join(
    '\n',
  );
}
