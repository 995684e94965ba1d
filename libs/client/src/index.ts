export * from './fledge-client.js';
export * from './rollouts.js';
export * from './generated/graphql.js';
