/** What the console stack seeded, for the browser tests (written as JSON by console-stack.ts). */
export interface ConsoleFixture {
  /** Where the API (and the console at `/`) answers. */
  apiUrl: string;
  servingUrl: string;
  keys: { admin: string; scientist: string; engineer: string; viewer: string };
  /** Each key's name (unique per run), as the audit log and rollout signals show it. */
  keyNames: { admin: string; scientist: string; engineer: string; viewer: string };
  model: string;
  dataset: string;
  /** The endpoint serving `model` v1 under steady traffic. */
  endpoint: string;
  evaluations: { v1: string; v2: string };
  /** 1,000 models named `<registryPrefix>-00000` … for the list's render time. */
  registryPrefix: string;
  registrySize: number;
}

export const FIXTURE_ENV = 'FLEDGE_CONSOLE_FIXTURE';
