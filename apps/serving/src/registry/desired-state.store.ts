import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

import { type EndpointSpec } from './endpoint-spec.js';

export interface PersistedState {
  version: 1;
  endpoints: Record<string, { spec: EndpointSpec; appliedAt: string }>;
}

/** Where a registry keeps its applied state: on disk (the authoritative process) or given (the others). */
export interface DesiredStateSource {
  load(): Promise<PersistedState>;
  save(state: PersistedState): Promise<void>;
}

/**
 * The state a data-plane process received from the authoritative one: restored from it, never
 * written (only the authoritative process persists).
 */
export class GivenDesiredState implements DesiredStateSource {
  constructor(private readonly state: PersistedState) {}

  load(): Promise<PersistedState> {
    return Promise.resolve(this.state);
  }

  save(): Promise<void> {
    return Promise.resolve();
  }
}

/** The applied desired state on disk (written atomically), so a restart serves without the control plane. */
export class DesiredStateStore implements DesiredStateSource {
  constructor(private readonly path: string) {}

  async load(): Promise<PersistedState> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as PersistedState;
      return parsed.version === 1 && parsed.endpoints ? parsed : { version: 1, endpoints: {} };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, endpoints: {} };
      throw error;
    }
  }

  async save(state: PersistedState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(JSON.stringify(state, null, 2));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path);
  }
}
