export * from './metrics/index.js';
export * from './gate/gate.js';
export * from './slo/slo.js';
export * from './policy/rollout-policy.js';
export * from './rollout/rollout-state.js';
export * from './traffic/traffic-plan.js';
