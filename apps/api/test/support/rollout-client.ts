import { Client, Connection } from '@temporalio/client';
import {
  CreateEndpointDocument,
  DeployModelVersionBriefDocument,
  ModelAliasesDocument,
  PromoteBriefDocument,
  readRolloutEvents,
  RolloutsDocument,
  RolloutStateDocument,
  type PromoteInput,
  type RolloutEventView,
  type RolloutsQuery,
  type RolloutSummaryFieldsFragment,
} from '@fledge/client';
import { stackEnv, type TestApi } from '@fledge/testing';

export interface RolloutView {
  id: string;
  state: string;
  reason: string | null;
  createdBy: string;
  /** Each event with its typed payload and its raw detail. */
  events: (RolloutEventView & { detail: any })[];
}

const TERMINAL = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];

export const isTerminal = (r: RolloutView) => TERMINAL.includes(r.state);

/** A policy that needs no traffic: no shadow, no canary step, no bake; every SLO window passes empty. */
export const quickPolicy = (overrides: Record<string, unknown> = {}) => ({
  shadow: { enabled: false },
  canary: { steps: [] },
  slo: { minSamples: 0, windowSeconds: 2 },
  checkIntervalSeconds: 1,
  promote: { bakeSeconds: 0 },
  ...overrides,
});

/** `promote` or `deployModelVersion` with the engineer's key; refusals throw FledgeApiError. */
export async function startRollout(
  api: TestApi,
  mutation: 'promote' | 'deployModelVersion',
  input: PromoteInput,
): Promise<RolloutSummaryFieldsFragment> {
  const engineer = api.client('engineer');
  if (mutation === 'promote') return (await engineer.request(PromoteBriefDocument, { input })).promote;
  return (await engineer.request(DeployModelVersionBriefDocument, { input })).deployModelVersion;
}

export async function startedRolloutId(
  api: TestApi,
  mutation: 'promote' | 'deployModelVersion',
  input: PromoteInput,
): Promise<string> {
  return (await startRollout(api, mutation, input)).id;
}

/** The rollout's state and all its events, read through the typed client (every page). */
export async function readRollout(api: TestApi, id: string): Promise<RolloutView> {
  const client = api.client();
  const { rollout } = await client.request(RolloutStateDocument, { id });
  const { events } = await readRolloutEvents(client, id, { withDetail: true });
  return {
    id,
    state: rollout.state,
    reason: rollout.reason,
    createdBy: rollout.createdBy,
    events: events as RolloutView['events'],
  };
}

/** Polls the rollout until `until` holds (by default: it has ended); returns what it read last. */
export async function waitForRollout(
  api: TestApi,
  id: string,
  until: (r: RolloutView) => boolean = isTerminal,
  timeoutMs = 120_000,
): Promise<RolloutView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rollout = await readRollout(api, id);
    if (until(rollout)) return rollout;
    if (Date.now() > deadline) throw new Error(`rollout ${id} still ${rollout.state}: ${JSON.stringify(rollout)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function createEndpoint(api: TestApi, name: string): Promise<void> {
  await api.client('engineer').request(CreateEndpointDocument, { input: { name } });
}

/** Every rollout of the endpoint, newest first (read page by page: a page stays within the query cost budget). */
export async function endpointRollouts(api: TestApi, endpoint: string): Promise<{ id: string; state: string }[]> {
  const client = api.client();
  const found: { id: string; state: string }[] = [];
  for (let after: string | null = null; ;) {
    const { rollouts }: RolloutsQuery = await client.request(RolloutsDocument, { endpoint, first: 20, after });
    found.push(...rollouts.edges.map(({ node: { id, state } }) => ({ id, state })));
    if (!rollouts.pageInfo.hasNextPage) return found;
    after = rollouts.pageInfo.endCursor;
  }
}

export async function aliasesOf(
  api: TestApi,
  model: string,
): Promise<{ name: string; version: number; endpoint: string | null }[]> {
  const { model: found } = await api.client().request(ModelAliasesDocument, { name: model });
  if (!found) throw new Error(`model ${model} not found`);
  return found.aliases.map(({ name, version, endpoint }) => ({ name, version, endpoint }));
}

/** A Temporal client on the stack's server, for what operators see there (visibility, histories). */
export async function stackTemporal(): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: stackEnv().temporalAddress }) });
}

export interface ListedWorkflow {
  workflowId: string;
  type: string;
  status: string;
  /** Fledge's own search attributes. */
  attributes: Record<string, unknown>;
}

/**
 * The workflows a visibility query lists, as operators see them. Visibility follows executions by
 * a moment, so it lists again until `settled` holds (or 30 s pass) and returns the last listing.
 */
export async function listWorkflows(
  client: Client,
  query: string,
  settled: (listed: ListedWorkflow[]) => boolean,
): Promise<ListedWorkflow[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed: ListedWorkflow[] = [];
    for await (const w of client.workflow.list({ query })) {
      const attributes: Record<string, unknown> = {};
      for (const pair of w.typedSearchAttributes.getAll()) {
        if (pair.key.name.startsWith('Fledge')) attributes[pair.key.name] = pair.value;
      }
      listed.push({ workflowId: w.workflowId, type: w.type, status: w.status.name, attributes });
    }
    if (settled(listed) || Date.now() > deadline) return listed;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
