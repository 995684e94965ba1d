export { createApiApp, type ApiApp, type ApiAppOptions } from './create-api-app.js';
