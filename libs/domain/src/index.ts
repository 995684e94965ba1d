export * from './metrics/index.js';
export * from './gate/gate.js';
export * from './slo/slo.js';
export * from './policy/rollout-policy.js';
export * from './rollout/rollout-state.js';
export * from './traffic/traffic-plan.js';
export * from './registry/registry.types.js';
export * from './registry/names.js';
