export const REDACTED = '[redacted]';

/** Property names whose values are secrets wherever they appear (matched case-sensitively). */
export const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-fledge-api-key',
  'x-fledge-admin-token',
  'proxy-authorization',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'adminToken',
  'sessionToken',
  'secret',
  'clientSecret',
  'secretAccessKey',
  'password',
  'passwd',
  'apiKey',
  'api_key',
  'apikey',
  'privateKey',
  'connectionString',
  'databaseUrl',
  'DATABASE_URL',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'FLEDGE_ADMIN_API_KEY',
  'FLEDGE_SERVING_ADMIN_TOKEN',
  'FLEDGE_API_KEY',
] as const;

const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);

/**
 * pino redact paths: each secret key at the top level and up to three levels down, which covers
 * `req.headers.authorization`, `config.credentials.secretAccessKey`, `err.config.password`...
 */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => {
  const tail = isIdentifier(key) ? `.${key}` : `["${key}"]`;
  return [isIdentifier(key) ? key : tail, `*${tail}`, `*.*${tail}`, `*.*.*${tail}`];
});

// Secrets embedded in free text (messages, error stacks, URLs) that no key path can reach.
const TEXT_PATTERNS: readonly [RegExp, string][] = [
  // scheme://user:password@host → scheme://user:[redacted]@host (connection strings)
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'\\]*:)[^\s@/"'\\]+@/gi, `$1${REDACTED}@`],
  // Authorization: Bearer <token> / Basic <credentials>
  [/\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  // ?token=… &api_key=… in URLs
  [
    /([?&](?:token|access_token|api_key|apikey|key|secret|password|signature|X-Amz-Signature|X-Amz-Credential)=)[^&\s"'\\]+/gi,
    `$1${REDACTED}`,
  ],
];

export function scrubSecretsInText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}
