export * from './serving-runtime.js';
export { type ArtifactSource } from './registry/artifact-cache.js';
export { type EndpointSpec, type VariantSpec, type VariantRole } from './registry/endpoint-spec.js';
export { type BatchingOptions } from './dataplane/dynamic-batcher.js';
export { type EndpointDescription, type EndpointStats, type VariantStats } from './control/endpoint-control.service.js';
