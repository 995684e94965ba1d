import { type FledgeClient, type RequestOptions } from './fledge-client.js';
import { RolloutEventsPageDocument, type RolloutEventFieldsFragment, type RolloutState } from './generated/graphql.js';

/** One recorded rollout event with its typed payload (see the RolloutEventFields fragment). */
export type RolloutEventView = RolloutEventFieldsFragment & { detail?: unknown };
export type EventPayload = RolloutEventView['payload'];
export type EventPayloadType = EventPayload['__typename'];
/** The payload of one event type: `PayloadOf<'TrafficAppliedEvent'>`. */
export type PayloadOf<T extends EventPayloadType> = Extract<EventPayload, { __typename: T }>;

export const TERMINAL_ROLLOUT_STATES: readonly RolloutState[] = [
  'SUCCEEDED',
  'REJECTED',
  'ROLLED_BACK',
  'ABORTED',
  'FAILED',
];

export const isTerminalRolloutState = (state: RolloutState): boolean => TERMINAL_ROLLOUT_STATES.includes(state);

/** The events as far as read, and where to read on from. */
export interface RolloutEventsRead {
  state: RolloutState;
  reason: string | null;
  events: RolloutEventView[];
  /** Pass it as `after` to read only what is new; null when the rollout has no events yet. */
  cursor: string | null;
}

/**
 * Reads a rollout's events after `after` (from the first without it), following pages until the
 * last one. A poller keeps the returned cursor and asks again for what is new.
 */
export async function readRolloutEvents(
  client: FledgeClient,
  id: string,
  options: { after?: string | null; pageSize?: number; withDetail?: boolean } & RequestOptions = {},
): Promise<RolloutEventsRead> {
  // 50 typed events cost about 750 of the API's default query budget of 1000 (100 would exceed it).
  const { pageSize = 50, withDetail = false, signal } = options;
  let cursor = options.after ?? null;
  const events: RolloutEventView[] = [];
  for (;;) {
    const { rollout } = await client.request(
      RolloutEventsPageDocument,
      { id, first: pageSize, after: cursor, withDetail },
      { signal },
    );
    events.push(...rollout.events.edges.map((e) => e.node));
    cursor = rollout.events.pageInfo.endCursor ?? cursor;
    if (!rollout.events.pageInfo.hasNextPage) return { state: rollout.state, reason: rollout.reason, events, cursor };
  }
}
