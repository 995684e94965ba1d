import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { FledgeError } from '@fledge/errors';

import { mergeMetrics, type ServingMetrics } from '../metrics/serving-metrics.js';
import { type DesiredStateStore } from '../registry/desired-state.store.js';
import { type ApplyResult, type Logger } from '../registry/endpoint-registry.js';
import { type EndpointSpec } from '../registry/endpoint-spec.js';
import { type DataPlaneSettings } from '../serving-runtime.js';
import { type PeerProcesses, type ProcessDescription, type VariantPartials } from './endpoint-control.service.js';
import { type FromMember, fromWire, type ToMember } from './peer-protocol.js';

export interface DataPlaneSupervisorOptions {
  /** Data-plane processes besides this one. */
  count: number;
  /** The shared data-plane port (this process already listens on it with reusePort). */
  port: number;
  settings: DataPlaneSettings;
  /** The authoritative desired state: what a (re)started process restores. */
  store: DesiredStateStore;
  metrics: ServingMetrics;
  logger: Logger;
  localPartials(name: string, fromMs: number, toMs: number): VariantPartials;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  prepared?: () => void;
  /** What the request settles with if the process exits first (a rejection when undefined). */
  onExit?: unknown;
}

interface Slot {
  slot: number;
  incarnation: number;
  child: ChildProcess | undefined;
  state: ProcessDescription['state'];
  startedAt: number;
  quickFailures: number;
  pending: Map<number, Pending>;
}

interface Transaction {
  prepared: Promise<void>;
  decide(commit: boolean): Promise<void>;
}

// Sibling of this file's folder, in the same flavour (.ts from source, .js once built).
const memberEntry = fileURLToPath(
  new URL(`../data-plane-process${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/** A process that dies sooner than this after its start counts towards the restart backoff. */
const QUICK_FAILURE_MS = 10_000;

/**
 * Runs the other data-plane processes of a multi-process serving runtime and keeps them on the
 * authoritative desired state.
 *
 * - Applies are two-phase: every process (this one included) loads and warms the new models and
 *   holds its swap; once all have, this process persists and swaps, then tells the others to
 *   swap, and the call returns when every one has. A failure anywhere before that releases the new
 *   models everywhere: no process ever swaps to a state that is not persisted.
 * - Applies, deletes and process (re)starts run one at a time, so a starting process restores the
 *   persisted state and joins before the next change: it never misses one. It listens on the
 *   shared port only once restored, so until then the kernel gives its connections to the others.
 * - A process that exits is started again (backoff if it keeps dying at start); one that exits in
 *   the middle of an apply is left out of it: its replacement restores the persisted outcome.
 */
export class DataPlaneSupervisor implements PeerProcesses {
  private readonly slots: Slot[];
  private exclusive: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closing = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: DataPlaneSupervisorOptions) {
    this.slots = Array.from({ length: options.count }, (_, i) => ({
      slot: i + 1,
      incarnation: 0,
      child: undefined,
      state: 'exited',
      startedAt: 0,
      quickFailures: 0,
      pending: new Map(),
    }));
    options.metrics.renderWith(() => this.metricsText());
  }

  /** Every serving process's Prometheus metrics, merged (counters and histogram buckets add up). */
  async metricsText(): Promise<string> {
    const others = await Promise.all(
      this.serving().map((s) => this.request(s, { t: 'metrics', id: this.id() }, { onExit: [] }) as Promise<object[]>),
    );
    return mergeMetrics([await this.options.metrics.json(), ...others]);
  }

  /** Starts every process; resolves once each has restored the state and listens. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.serialized(() => this.join(s))));
  }

  describe(): ProcessDescription[] {
    return this.slots.map((s) => ({
      slot: s.slot,
      incarnation: s.incarnation,
      pid: s.child?.pid,
      state: s.state,
      tag: `${s.slot}.${s.incarnation}`,
    }));
  }

  apply(
    name: string,
    spec: EndpointSpec,
    local: (gate: () => Promise<void>) => Promise<ApplyResult>,
  ): Promise<ApplyResult> {
    return this.serialized(async () => {
      const txs = this.serving().map((s) => this.prepare(s, name, spec));
      const allPrepared = async () => {
        await Promise.all(txs.map((t) => t.prepared));
      };
      let result: ApplyResult;
      try {
        result = await local(allPrepared);
        // Unchanged here (no gate ran): the others are unchanged as well, but still wait for them.
        await allPrepared();
      } catch (error) {
        await Promise.all(txs.map((t) => t.decide(false)));
        throw error;
      }
      await Promise.all(txs.map((t) => t.decide(true)));
      return result;
    });
  }

  delete(name: string, local: () => Promise<void>): Promise<void> {
    return this.serialized(async () => {
      await local();
      await Promise.all(
        this.serving().map((s) => this.request(s, { t: 'delete', id: this.id(), name }, { onExit: undefined })),
      );
    });
  }

  async partials(name: string, fromMs: number, toMs: number): Promise<VariantPartials[]> {
    // A process that dies takes its in-memory statistics with it: it adds nothing.
    return Promise.all(
      this.serving().map(
        (s) =>
          this.request(
            s,
            { t: 'partials', id: this.id(), name, fromMs, toMs },
            { onExit: {} },
          ) as Promise<VariantPartials>,
      ),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(
      this.slots.map(async (s) => {
        const child = s.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  }

  private serving(): Slot[] {
    return this.slots.filter((s) => s.state === 'serving');
  }

  private id(): number {
    return this.nextId++;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  /** Starts the slot's process, has it restore the persisted state and listen (under the lock). */
  private async join(s: Slot): Promise<void> {
    if (this.closing) return;
    s.incarnation += 1;
    s.state = 'starting';
    s.startedAt = Date.now();
    const tag = `${s.slot}.${s.incarnation}`;
    const child = fork(memberEntry, [], { stdio: 'inherit' });
    s.child = child;
    child.on('message', (message: FromMember) => this.onMessage(s, message));
    child.once('exit', (code, signal) => this.onExit(s, child, code, signal));
    try {
      const state = await this.options.store.load();
      await this.request(s, {
        t: 'start',
        id: this.id(),
        settings: this.options.settings,
        port: this.options.port,
        tag,
        state,
      });
      if (s.child === child) s.state = 'serving';
      this.options.logger.info({ process: tag, pid: child.pid }, 'data-plane process serving');
    } catch (error) {
      this.options.logger.error({ process: tag, err: error }, 'data-plane process failed to start');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  private onExit(s: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (s.child !== child) return;
    s.child = undefined;
    s.state = 'exited';
    for (const p of s.pending.values()) {
      if ('onExit' in p) p.resolve(p.onExit);
      else
        p.reject(new FledgeError('UNAVAILABLE', `data-plane process ${s.slot} exited`, { reason: 'PROCESS_EXITED' }));
    }
    s.pending.clear();
    if (this.closing) return;
    s.quickFailures = Date.now() - s.startedAt < QUICK_FAILURE_MS ? s.quickFailures + 1 : 0;
    // A restart throttle (not synchronisation): a process that keeps dying at start backs off to 5 s.
    const delayMs = s.quickFailures <= 1 ? 0 : Math.min(5000, 100 * 2 ** s.quickFailures);
    this.options.logger.warn(
      { process: `${s.slot}.${s.incarnation}`, code, signal, delayMs },
      'data-plane process exited; starting it again',
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.serialized(() => this.join(s));
    }, delayMs);
    this.timers.add(timer);
  }

  private onMessage(s: Slot, message: FromMember): void {
    if (message.t === 'metrics-request') {
      const child = s.child;
      this.metricsText().then(
        (text) => child?.send({ t: 'metrics-text', id: message.id, text } satisfies ToMember),
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'could not merge the processes metrics');
          child?.send({ t: 'metrics-text', id: message.id } satisfies ToMember);
        },
      );
      return;
    }
    const p = s.pending.get(message.id);
    if (!p) return;
    if (message.t === 'prepared') {
      p.prepared?.();
      return;
    }
    s.pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(fromWire(message.error));
  }

  private request(
    s: Slot,
    message: ToMember,
    extra: { onExit?: unknown; prepared?: () => void } = {},
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const child = s.child;
      if (!child) {
        if ('onExit' in extra) resolve(extra.onExit);
        else
          reject(
            new FledgeError('UNAVAILABLE', `data-plane process ${s.slot} is not running`, { reason: 'PROCESS_EXITED' }),
          );
        return;
      }
      s.pending.set(message.id, { resolve, reject, ...extra });
      child.send(message);
    });
  }

  /** Phase one on one process: it loads the spec's models and holds its swap until decide(). */
  private prepare(s: Slot, name: string, spec: EndpointSpec): Transaction {
    const id = this.id();
    let markPrepared!: () => void;
    let failPrepared!: (error: unknown) => void;
    const prepared = new Promise<void>((resolve, reject) => {
      markPrepared = resolve;
      failPrepared = reject;
    });
    let failed = false;
    // Exiting before the end drops the process from this apply (onExit: undefined settles both).
    const done = this.request(s, { t: 'prepare', id, name, spec }, { onExit: undefined, prepared: markPrepared }).then(
      () => markPrepared(),
      (error: unknown) => {
        failed = true;
        failPrepared(error);
      },
    );
    void prepared.catch(() => undefined);
    return {
      prepared,
      decide: async (commit) => {
        if (!failed && s.pending.has(id)) s.child?.send({ t: 'decide', id, commit } satisfies ToMember);
        await done;
      },
    };
  }
}
