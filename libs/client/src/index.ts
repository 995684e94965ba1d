export * from './fledge-client.js';
export * from './generated/graphql.js';
