import { FledgeError } from '@fledge/errors';

import { type ArtifactSource } from '../registry/artifact-cache.js';
import { GivenDesiredState } from '../registry/desired-state.store.js';
import { type Logger } from '../registry/endpoint-registry.js';
import { closeServer, createDataPlaneCore, type DataPlaneCore, listen } from '../serving-runtime.js';
import { localPartials } from './endpoint-control.service.js';
import { type FromMember, type ToMember, toWire } from './peer-protocol.js';

/**
 * A data-plane process started by the authoritative one (DataPlaneSupervisor): it builds its own
 * ORT pool and router, restores the state it is given, and only then listens on the shared port.
 * It applies what the authoritative process sends and persists nothing; it stops when that
 * process goes away.
 */
export function runDataPlaneMember(deps: { artifactSource: ArtifactSource; logger: Logger }): void {
  let core: DataPlaneCore | undefined;
  const decisions = new Map<number, (commit: boolean) => void>();
  const metricsRequests = new Map<number, (text: string | undefined) => void>();
  let nextMetricsRequest = 1;
  const send = (message: FromMember) => process.send?.(message);
  const reply = (id: number, work: Promise<unknown>) =>
    work.then(
      (value) => send({ t: 'reply', id, ok: true, value: value ?? null }),
      (error: unknown) => {
        if (!(error instanceof FledgeError)) deps.logger.error({ err: error }, 'data-plane process request failed');
        send({ t: 'reply', id, ok: false, error: toWire(error) });
      },
    );
  const started = () => {
    if (!core) throw new FledgeError('UNAVAILABLE', 'the data-plane process is not started', { reason: 'NOT_STARTED' });
    return core;
  };

  async function start(message: Extract<ToMember, { t: 'start' }>): Promise<{ pid: number }> {
    const c = createDataPlaneCore(message.settings, {
      artifactSource: deps.artifactSource,
      store: new GivenDesiredState(message.state),
      logger: deps.logger,
      processTag: message.tag,
    });
    core = c;
    // A scrape reaching this process gets every process's metrics, merged by the authoritative one.
    c.metrics.renderWith(async () => {
      const id = nextMetricsRequest++;
      const text = await new Promise<string | undefined>((resolve) => {
        metricsRequests.set(id, resolve);
        send({ t: 'metrics-request', id });
      });
      metricsRequests.delete(id);
      if (text === undefined)
        throw new FledgeError('UNAVAILABLE', 'metrics are unavailable; retry shortly', {
          reason: 'METRICS_UNAVAILABLE',
        });
      return text;
    });
    await c.registry.restore();
    c.markReady();
    // Restored first, then listening: the kernel gives this process no connection before that.
    await listen(c.rest, message.port, message.settings.host, true);
    deps.logger.info({ process: message.tag, endpoints: c.registry.list().length }, 'data-plane process listening');
    return { pid: process.pid };
  }

  function prepare(message: Extract<ToMember, { t: 'prepare' }>): Promise<unknown> {
    let announced = false;
    const decision = new Promise<boolean>((resolve) => decisions.set(message.id, resolve));
    const announce = () => {
      if (announced) return;
      announced = true;
      send({ t: 'prepared', id: message.id });
    };
    const gate = async () => {
      announce();
      if (!(await decision)) throw new FledgeError('UNAVAILABLE', 'apply aborted', { reason: 'APPLY_ABORTED' });
    };
    return started()
      .registry.apply(message.name, message.spec, { persist: false, gate })
      .then(async (result) => {
        if (!announced) {
          // Unchanged here: nothing to hold, but answer in the same two steps.
          announce();
          await decision;
        }
        return result;
      })
      .finally(() => decisions.delete(message.id));
  }

  async function remove(name: string): Promise<void> {
    const registry = started().registry;
    if (registry.get(name)) await registry.delete(name);
  }

  process.on('message', (message: ToMember) => {
    switch (message.t) {
      case 'start':
        return void reply(message.id, start(message));
      case 'prepare':
        return void reply(message.id, prepare(message));
      case 'decide':
        return decisions.get(message.id)?.(message.commit);
      case 'delete':
        return void reply(message.id, remove(message.name));
      case 'metrics':
        return void reply(message.id, started().metrics.json());
      case 'metrics-text':
        return metricsRequests.get(message.id)?.(message.text);
      case 'partials':
        return void reply(
          message.id,
          Promise.resolve().then(() =>
            localPartials(started().metrics, started().registry, message.name, message.fromMs, message.toMs),
          ),
        );
    }
  });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ why }, 'data-plane process stopping');
    const c = core;
    const closed = c ? closeServer(c.rest).then(() => c.modelRuntime.close()) : Promise.resolve();
    closed.then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // The authoritative process went away (even by SIGKILL): never serve a state nobody controls.
  process.on('disconnect', () => {
    for (const resolve of metricsRequests.values()) resolve(undefined);
    stop('authoritative process gone');
  });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
