import { setTimeout as sleep } from 'node:timers/promises';

import {
  isTerminalRolloutState,
  type RolloutEventsRead,
  type RolloutEventView,
  type RolloutFieldsFragment as Rollout,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';

export interface RolloutWatchOptions {
  fetchRollout(id: string): Promise<Rollout>;
  /** The events after `after` (all of them when null), and the cursor to read on from. */
  fetchEvents(id: string, after: string | null): Promise<RolloutEventsRead>;
  id: string;
  /** What the caller already holds (the answer of promote). */
  initial?: Rollout;
  intervalMs: number;
  /** Stops watching (Ctrl-C); the rollout itself is not touched. */
  signal?: AbortSignal;
  onEvent(event: RolloutEventView): void;
  /** Every poll of a rollout still in progress (the live status line). */
  onProgress?(rollout: Rollout): void;
  /**
   * The state turns terminal a moment before the workflow writes its closing events: once it is
   * terminal, polling goes on until `rollout.finished` is seen or this long has passed.
   */
  settleMs?: number;
  /** Consecutive UNAVAILABLE answers tolerated (an API restart) before the watch gives up. */
  maxUnavailable?: number;
}

export interface RolloutWatchResult {
  rollout: Rollout;
  interrupted: boolean;
}

/**
 * Polls a rollout, reporting each new event once, in order, until it ends or the watch is stopped.
 * Each poll reads only the events after the last one seen, then the rollout's state.
 */
export async function watchRollout(options: RolloutWatchOptions): Promise<RolloutWatchResult> {
  const { id, intervalMs, signal, settleMs = 3000, maxUnavailable = 10 } = options;
  let lastSeq = 0;
  let cursor: string | null = null;
  let finished = false;
  let latest = options.initial;
  let terminalSince: number | undefined;
  let unavailable = 0;
  for (let first = true; ; first = false) {
    if (!first) {
      try {
        await sleep(intervalMs, undefined, { signal });
      } catch {
        // aborted
      }
    }
    if (signal?.aborted) {
      if (!latest) throw new FledgeError('INTERNAL', 'stopped before the rollout was read', { reason: 'INTERRUPTED' });
      return { rollout: latest, interrupted: true };
    }
    let rollout: Rollout;
    try {
      const read = await options.fetchEvents(id, cursor);
      cursor = read.cursor;
      for (const event of read.events) {
        if (event.seq <= lastSeq) continue;
        lastSeq = event.seq;
        finished ||= event.type === 'rollout.finished';
        options.onEvent(event);
      }
      rollout = await options.fetchRollout(id);
      unavailable = 0;
    } catch (error) {
      if (FledgeError.is(error, 'UNAVAILABLE') && ++unavailable <= maxUnavailable) continue;
      throw error;
    }
    latest = rollout;
    if (!isTerminalRolloutState(rollout.state)) {
      options.onProgress?.(rollout);
      continue;
    }
    terminalSince ??= Date.now();
    if (finished || Date.now() - terminalSince >= settleMs) return { rollout, interrupted: false };
  }
}
