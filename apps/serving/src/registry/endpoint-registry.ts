import { FledgeError, notFound } from '@fledge/errors';
import { type ModelRuntime } from '@fledge/inference';

import { WeightedRouter } from '../dataplane/weighted-router.js';
import { type ServingMetrics } from '../metrics/serving-metrics.js';
import { type ArtifactCache } from './artifact-cache.js';
import { type DesiredStateSource, type PersistedState } from './desired-state.store.js';
import { type EndpointSpec, specFingerprint, type VariantSpec } from './endpoint-spec.js';
import { LoadedVariant, loadIdentity } from './loaded-variant.js';

/** A variant as routed in one configuration: its spec (role, weight, rate) over a loaded model. */
export interface TableVariant {
  spec: VariantSpec;
  loaded: LoadedVariant;
  /** Shadow sampling accumulator: deterministic, exact for any rate. */
  sampleCredit: number;
}

/** One endpoint's immutable routing table; applying a configuration swaps the whole object. */
export interface EndpointTable {
  name: string;
  spec: EndpointSpec;
  fingerprint: string;
  generation: number;
  appliedAt: string;
  variants: TableVariant[];
  router: WeightedRouter<TableVariant>;
  shadows: TableVariant[];
}

export interface ApplyResult {
  endpoint: string;
  changed: boolean;
  generation: number;
  appliedAt: string;
}

export interface ApplyOptions {
  persist?: boolean;
  gate?: () => Promise<void>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EndpointRegistryDeps {
  runtime: ModelRuntime;
  cache: ArtifactCache;
  store: DesiredStateSource;
  metrics: ServingMetrics;
  logger: Logger;
  drainTimeoutMs?: number;
}

/**
 * Endpoints and their loaded variants. Apply = fetch and verify artifacts, load and warm the new
 * models, persist, swap the routing table in one assignment, then drain and release the old
 * models. Applies to one endpoint run one at a time; a failure leaves the old table serving.
 */
export class EndpointRegistry {
  private readonly tables = new Map<string, EndpointTable>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private generation = 0;
  private persisting: Promise<unknown> = Promise.resolve();
  private state: PersistedState = { version: 1, endpoints: {} };

  constructor(private readonly deps: EndpointRegistryDeps) {}

  get(name: string): EndpointTable | undefined {
    return this.tables.get(name);
  }

  list(): EndpointTable[] {
    return [...this.tables.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Loads the persisted desired state and serves it again (failures are logged per endpoint). */
  async restore(): Promise<void> {
    const saved = await this.deps.store.load();
    this.state = saved;
    for (const [name, entry] of Object.entries(saved.endpoints)) {
      try {
        await this.apply(name, entry.spec, { persist: false });
      } catch (error) {
        this.deps.logger.error({ endpoint: name, err: error }, 'could not restore endpoint');
      }
    }
  }

  /**
   * `gate`, when given, runs once the new models are loaded and warmed, before the state is
   * persisted and the table swapped: if it throws, the new models are released and nothing changed
   * (the multi-process supervisor holds every process's swap there until all have loaded).
   */
  apply(name: string, spec: EndpointSpec, options: ApplyOptions = {}): Promise<ApplyResult> {
    return this.serialized(name, () => this.applyNow(name, spec, options.persist ?? true, options.gate));
  }

  delete(name: string): Promise<void> {
    return this.serialized(name, async () => {
      const table = this.tables.get(name);
      if (!table) throw notFound(`endpoint ${name} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
      await this.updateState((endpoints) => delete endpoints[name]);
      this.tables.delete(name);
      await this.retire(
        table.variants.map((v) => v.loaded),
        new Set(),
      );
    });
  }

  private async applyNow(
    name: string,
    spec: EndpointSpec,
    persist: boolean,
    gate: (() => Promise<void>) | undefined,
  ): Promise<ApplyResult> {
    const fingerprint = specFingerprint(spec);
    const current = this.tables.get(name);
    if (current && current.fingerprint === fingerprint) {
      return { endpoint: name, changed: false, generation: current.generation, appliedAt: current.appliedAt };
    }
    const reusable = new Map((current?.variants ?? []).map((v) => [v.loaded.identity, v.loaded]));
    const fresh: LoadedVariant[] = [];
    const variants: TableVariant[] = [];
    try {
      for (const vs of spec.variants) {
        const identity = loadIdentity(vs);
        let loaded = reusable.get(identity);
        if (!loaded) {
          loaded = await this.load(name, vs, identity);
          fresh.push(loaded);
        }
        variants.push({ spec: vs, loaded, sampleCredit: 0 });
      }
      await gate?.();
    } catch (error) {
      await Promise.all(fresh.map((l) => this.deps.runtime.release(l.modelKey)));
      throw error;
    }
    const appliedAt = new Date().toISOString();
    const table: EndpointTable = {
      name,
      spec,
      fingerprint,
      generation: ++this.generation,
      appliedAt,
      variants,
      router: new WeightedRouter(
        variants.filter((v) => v.spec.role !== 'shadow').map((v) => ({ target: v, weight: v.spec.weight })),
      ),
      shadows: variants.filter((v) => v.spec.role === 'shadow'),
    };
    if (persist) {
      try {
        await this.updateState((endpoints) => (endpoints[name] = { spec, appliedAt }));
      } catch (error) {
        await Promise.all(fresh.map((l) => this.deps.runtime.release(l.modelKey)));
        throw error;
      }
    }
    this.tables.set(name, table);
    this.deps.logger.info(
      {
        endpoint: name,
        generation: table.generation,
        variants: variants.map((v) => `${v.spec.variantName}:${v.spec.weight}`),
      },
      'endpoint configuration applied',
    );
    if (current)
      await this.retire(
        current.variants.map((v) => v.loaded),
        new Set(variants.map((v) => v.loaded)),
      );
    return { endpoint: name, changed: true, generation: table.generation, appliedAt };
  }

  private async load(endpoint: string, spec: VariantSpec, identity: string): Promise<LoadedVariant> {
    try {
      const path = await this.deps.cache.ensure(spec.artifactUri, spec.sha256);
      const model = await this.deps.runtime.load({ key: spec.sha256, path });
      const metrics = this.deps.metrics.variant({
        endpoint,
        variant: spec.variantName,
        modelVersion: spec.modelVersionId,
      });
      return new LoadedVariant(identity, endpoint, spec, spec.sha256, model.signature, metrics, this.deps.runtime);
    } catch (error) {
      if (error instanceof FledgeError) {
        throw new FledgeError(error.code, `variant ${spec.variantName}: ${error.message}`, {
          reason: error.reason,
          details: { ...error.details, variant: spec.variantName },
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Waits for requests still holding old variants, then releases their models. */
  private async retire(old: LoadedVariant[], kept: Set<LoadedVariant>): Promise<void> {
    const gone = [...new Set(old)].filter((l) => !kept.has(l));
    await Promise.all(
      gone.map(async (l) => {
        const drained = await l.drained(this.deps.drainTimeoutMs ?? 30_000);
        if (!drained) this.deps.logger.warn({ variant: l.spec.variantName, pending: l.pending }, 'drain timed out');
        await this.deps.runtime.release(l.modelKey);
      }),
    );
  }

  /** Read-modify-write of the persisted state, one at a time across endpoints. */
  private updateState(mutate: (endpoints: PersistedState['endpoints']) => unknown): Promise<void> {
    const run = this.persisting.then(async () => {
      const endpoints = { ...this.state.endpoints };
      mutate(endpoints);
      const next: PersistedState = { version: 1, endpoints };
      await this.deps.store.save(next);
      this.state = next;
    });
    this.persisting = run.catch(() => undefined);
    return run;
  }

  private serialized<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return run;
  }
}
