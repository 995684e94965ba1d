import { type EndpointFieldsFragment as Endpoint, type EndpointQuery } from '@fledge/client';

import { fields, formatTime, lower, section, table } from './format.util.js';

type EndpointDetail = NonNullable<EndpointQuery['endpoint']>;

const versionOf = (v: { model: { name: string }; version: number } | null) =>
  v ? `${v.model.name}@${v.version}` : null;

export function renderEndpointList(endpoints: readonly Endpoint[], totalCount: number): string {
  if (endpoints.length === 0) return 'No endpoints.';
  const rows = endpoints.map((e) => [
    e.name,
    lower(e.backend),
    e.variants.map((v) => `${v.name} ${v.role === 'shadow' ? 'shadow' : `${v.weight}%`}`).join(', ') || '-',
    formatTime(e.createdAt),
  ]);
  const more = totalCount > endpoints.length ? `\n(${endpoints.length} of ${totalCount}; --all for every one)` : '';
  return table(['name', 'backend', 'variants', 'created'], rows) + more;
}

export function renderEndpoint(e: EndpointDetail): string {
  const active = e.activeRollout;
  let out = fields([
    ['Endpoint', e.name],
    ['Backend', lower(e.backend)],
    ['Description', e.description],
    ['Inference URL', e.inferenceUrl],
    ['Options', JSON.stringify(e.options)],
    ['Created', formatTime(e.createdAt)],
    [
      'Active rollout',
      active
        ? `${active.id} ${lower(active.state)}: ${versionOf(active.baseline) ?? '(none)'} → ${versionOf(active.candidate)}`
        : null,
    ],
  ]);
  out += section(
    'Variants',
    e.variants.length === 0
      ? 'none (deploy a model version: fledge deploy <endpoint> <model>@<version>)'
      : table(
          ['variant', 'model', 'role', 'weight', 'shadow sample'],
          e.variants.map((v) => [
            v.name,
            `${v.modelName}@${v.version}`,
            v.role,
            `${v.weight}%`,
            v.role === 'shadow' ? `${Math.round(v.shadowSampleRate * 100)}%` : '-',
          ]),
        ),
  );
  out += section(
    'Recent alarms',
    e.alarms.length === 0
      ? 'none'
      : table(
          ['received', 'name', 'source', 'state', 'rollout'],
          e.alarms.map((a) => [formatTime(a.receivedAt), a.name, a.source, a.state, a.rolloutId]),
        ),
  );
  return out;
}
