import {
  type RolloutEventView,
  type RolloutFieldsFragment as Rollout,
  type RolloutSummaryFieldsFragment as RolloutSummary,
} from '@fledge/client';

import { fields, formatTime, section, table } from './format.util.js';
import { formatWeights, renderEventLine, renderStatusLine } from './rollout-event.renderer.js';

const versionOf = (v: { model: { name: string }; version: number } | null) =>
  v ? `${v.model.name}@${v.version}` : '-';

export function renderRolloutList(rollouts: readonly RolloutSummary[], totalCount: number): string {
  if (rollouts.length === 0) return 'No rollouts.';
  const rows = rollouts.map((r) => [
    r.id,
    r.state,
    versionOf(r.baseline),
    versionOf(r.candidate),
    formatTime(r.createdAt),
    formatTime(r.finishedAt),
    r.reason,
  ]);
  const more = totalCount > rollouts.length ? `\n(${rollouts.length} of ${totalCount}; --all for every one)` : '';
  return table(['id', 'state', 'baseline', 'candidate', 'created', 'finished', 'reason'], rows) + more;
}

/** A rollout with every event it recorded. */
export type RolloutWithEvents = Rollout & { events: RolloutEventView[] };

export function renderRollout(r: RolloutWithEvents): string {
  let out = fields([
    ['Rollout', r.id],
    ['Endpoint', r.endpoint.name],
    ['Candidate', versionOf(r.candidate)],
    ['Baseline', versionOf(r.baseline)],
    ['State', r.state],
    ['Reason', r.reason],
    ['Step', r.currentStep],
    ['Live', r.live ? renderStatusLine(r) : null],
    ['Created', `${formatTime(r.createdAt)} by ${r.createdBy}`],
    ['Finished', formatTime(r.finishedAt)],
  ]);
  if (r.live && r.live.weights.length > 0) out += section('Weights', formatWeights(r.live.weights));
  out += section('Events', r.events.length === 0 ? 'none yet' : r.events.map(renderEventLine).join('\n'));
  return out;
}
