#!/usr/bin/env node
import { homedir } from 'node:os';

import { runCli } from './cli.js';

// `fledge model list | head` closes stdout early; that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  homeDir: homedir(),
  streams: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  onInterrupt: (handler) => {
    process.once('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
});
