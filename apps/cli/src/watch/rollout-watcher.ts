import { setTimeout as sleep } from 'node:timers/promises';

import { FledgeError } from '@fledge/errors';

import { type Rollout, type RolloutEvent } from '../client/api.types.js';
import { isTerminalRolloutState } from '../exit-codes.js';

export interface RolloutWatchOptions {
  fetchRollout(id: string): Promise<Rollout>;
  id: string;
  /** What the caller already holds (the answer of promote): its events are shown first. */
  initial?: Rollout;
  intervalMs: number;
  /** Stops watching (Ctrl-C); the rollout itself is not touched. */
  signal?: AbortSignal;
  onEvent(event: RolloutEvent): void;
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

/** Polls a rollout, reporting each new event once, in order, until it ends or the watch is stopped. */
export async function watchRollout(options: RolloutWatchOptions): Promise<RolloutWatchResult> {
  const { id, intervalMs, signal, settleMs = 3000, maxUnavailable = 10 } = options;
  let lastSeq = 0;
  let latest = options.initial;
  let terminalSince: number | undefined;
  let unavailable = 0;
  const report = (rollout: Rollout) => {
    for (const event of [...rollout.events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      options.onEvent(event);
    }
  };
  if (latest) report(latest);
  for (let first = true; ; first = false) {
    if (!first || latest) {
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
      rollout = await options.fetchRollout(id);
      unavailable = 0;
    } catch (error) {
      if (FledgeError.is(error, 'UNAVAILABLE') && ++unavailable <= maxUnavailable) continue;
      throw error;
    }
    latest = rollout;
    report(rollout);
    if (!isTerminalRolloutState(rollout.state)) {
      options.onProgress?.(rollout);
      continue;
    }
    terminalSince ??= Date.now();
    if (rollout.events.some((e) => e.type === 'rollout.finished') || Date.now() - terminalSince >= settleMs) {
      return { rollout, interrupted: false };
    }
  }
}
