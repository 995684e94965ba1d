import {
  readRolloutEvents,
  RolloutDetailDocument,
  type FledgeClient,
  type RolloutFieldsFragment as Rollout,
} from '@fledge/client';

import { type CliContext } from '../cli-context.js';
import { ExitCode, exitCodeOfRolloutState } from '../exit-codes.js';
import { ExitStatus } from '../exit-status.js';
import { renderEventLine, renderStatusLine } from '../render/rollout-event.renderer.js';
import { type RolloutWithEvents } from '../render/rollout.renderer.js';
import { watchRollout } from './rollout-watcher.js';

/** A rollout with every event it has recorded so far (with --json, each event's raw detail too). */
export async function withEvents(client: FledgeClient, rollout: Rollout, json = false): Promise<RolloutWithEvents> {
  const { events } = await readRolloutEvents(client, rollout.id, { withDetail: json });
  return { ...rollout, events };
}

export interface WatchOutputOptions {
  json?: boolean;
  pollInterval: number;
}

/**
 * Follows a rollout on the terminal: one line per event on stdout (NDJSON with --json), a live
 * status line on stderr when it is a terminal. Returns when the rollout succeeded; otherwise ends
 * the command with exit code 8 (it ended another way) or 130 (Ctrl-C: the rollout goes on).
 */
export async function followRollout(
  ctx: CliContext,
  client: FledgeClient,
  rollout: Rollout,
  options: WatchOutputOptions,
): Promise<Rollout> {
  const { stdout, stderr } = ctx.streams;
  const live = !options.json && stderr.isTTY === true;
  const columns = (stderr as { columns?: number }).columns ?? 100;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) stderr.write('\r\x1b[2K');
    statusShown = false;
  };
  const showStatus = (r: Rollout) => {
    if (!live) return;
    const line = renderStatusLine(r);
    stderr.write(`\r\x1b[2K${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
    statusShown = true;
  };

  const controller = new AbortController();
  const release = ctx.environment.onInterrupt?.(() => controller.abort());
  if (!options.json) {
    stderr.write(
      `Watching rollout ${rollout.id} on ${rollout.endpoint.name} (Ctrl-C stops watching; the rollout goes on).\n`,
    );
  }
  let result;
  try {
    result = await watchRollout({
      fetchRollout: async (id) => (await client.request(RolloutDetailDocument, { id })).rollout,
      // --json keeps each event's raw detail beside its typed payload, as it always printed it.
      fetchEvents: (id, after) => readRolloutEvents(client, id, { after, withDetail: options.json === true }),
      id: rollout.id,
      initial: rollout,
      intervalMs: options.pollInterval,
      signal: controller.signal,
      onEvent: (event) => {
        clearStatus();
        stdout.write(
          options.json ? `${JSON.stringify({ rollout: rollout.id, ...event })}\n` : `${renderEventLine(event)}\n`,
        );
      },
      onProgress: showStatus,
    });
  } finally {
    clearStatus();
    release?.();
  }
  const { rollout: last, interrupted } = result;
  if (interrupted) {
    throw new ExitStatus(
      ExitCode.INTERRUPTED,
      `Stopped watching; rollout ${last.id} goes on (${last.state}). ` +
        `Follow it again with \`fledge rollout watch ${last.id}\`, stop it with \`fledge rollout abort ${last.endpoint.name}\`.`,
    );
  }
  const code = exitCodeOfRolloutState(last.state);
  if (code !== ExitCode.OK) {
    throw new ExitStatus(
      code ?? ExitCode.INTERNAL,
      `error: rollout ${last.id} ended ${last.state}${last.reason ? `: ${last.reason}` : ''}`,
    );
  }
  if (!options.json) stderr.write(`Rollout ${last.id} SUCCEEDED${last.reason ? `: ${last.reason}` : ''}\n`);
  return last;
}
