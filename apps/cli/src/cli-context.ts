import { type Env, type Secret } from '@fledge/config';
import { FledgeClient } from '@fledge/client';
import { FledgeError } from '@fledge/errors';

import { configDirectory, readStoredCredentials, resolveApiTarget } from './config/cli-config.js';
import { createProgressBar } from './render/upload-progress.js';
import { type UploadProgress } from './upload/uploader.js';

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
}

/** Everything the CLI takes from its process, passed in so tests can run it in-process. */
export interface CliEnvironment {
  env: Env;
  homeDir: string;
  streams: CliStreams;
  fetch?: typeof fetch;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called; absent in tests. */
  onInterrupt?: (handler: () => void) => () => void;
}

export interface OutputOptions {
  json?: boolean;
}

/** What every command shares: streams, config location, the API client and output helpers. */
export class CliContext {
  readonly configDir: string;

  constructor(readonly environment: CliEnvironment) {
    this.configDir = configDirectory(environment.env, environment.homeDir);
  }

  get streams(): CliStreams {
    return this.environment.streams;
  }

  get env(): Env {
    return this.environment.env;
  }

  /** A client for the configured API; fails with UNAUTHENTICATED when nothing is configured. */
  async client(): Promise<FledgeClient> {
    const target = resolveApiTarget(this.env, await readStoredCredentials(this.configDir));
    if (target.url === undefined || target.key === undefined) {
      throw new FledgeError(
        'UNAUTHENTICATED',
        'not logged in: run `fledge login --api <url>` or set FLEDGE_API_URL and FLEDGE_API_KEY',
        { reason: 'NOT_LOGGED_IN' },
      );
    }
    return this.clientFor(target.url, target.key);
  }

  clientFor(url: string, key: Secret | undefined): FledgeClient {
    return new FledgeClient({
      apiUrl: url,
      apiKey: key ? () => key.reveal() : null,
      // Registration inspects the model before it answers, so a request may take a while.
      timeoutMs: 120_000,
      fetch: this.environment.fetch,
    });
  }

  /** Prints `value` as JSON with --json, else the human rendering. */
  print(options: OutputOptions, value: unknown, human: () => string): void {
    this.streams.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  progress(options: OutputOptions): UploadProgress | undefined {
    return options.json || !this.streams.stderr.isTTY ? undefined : createProgressBar(this.streams.stderr);
  }
}
