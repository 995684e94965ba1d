#!/usr/bin/env node
import { homedir } from 'node:os';

import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  homeDir: homedir(),
  streams: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
});
