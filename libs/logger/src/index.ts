export * from './http-logger.js';
export * from './logger.js';
export * from './nest-logger.js';
export { REDACT_PATHS, REDACTED, SECRET_KEYS, scrubSecretsInText } from './redaction.js';
export * from './request-id.util.js';
