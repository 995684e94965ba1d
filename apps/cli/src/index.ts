export { buildProgram, runCli } from './cli.js';
export { type CliEnvironment, type CliStreams } from './cli-context.js';
export { ExitCode, exitCodeOf } from './exit-codes.js';
