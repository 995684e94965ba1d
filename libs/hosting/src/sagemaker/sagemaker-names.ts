import { createHash } from 'node:crypto';

const MAX_NAME = 63;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Names of the SageMaker resources Fledge creates for one endpoint. The SageMaker endpoint has the
 * Fledge endpoint's name (so CloudWatch's `EndpointName` dimension names it too). Models and
 * endpoint configurations are named after their content: a retried or replayed step computes the
 * same name, and "already exists" means "already made with this content". Every name starts with
 * the endpoint's own prefix (a readable part plus a hash of the full name), so Fledge can list what
 * belongs to an endpoint without mistaking another endpoint's resources for its own.
 */
export class SageMakerNames {
  readonly prefix: string;

  constructor(readonly endpoint: string) {
    this.prefix = `${endpoint.slice(0, 24).replace(/-+$/, '')}-${sha256Hex(endpoint).slice(0, 8)}`;
  }

  model(content: unknown): string {
    return this.named('m', content);
  }

  config(content: unknown): string {
    return this.named('c', content);
  }

  modelPrefix(): string {
    return `${this.prefix}-m-`;
  }

  configPrefix(): string {
    return `${this.prefix}-c-`;
  }

  isModel(name: string): boolean {
    return this.owns(name, 'm');
  }

  isConfig(name: string): boolean {
    return this.owns(name, 'c');
  }

  /** CloudWatch alarm names: unambiguous per endpoint and variant (`/` never occurs in either). */
  alarmPrefix(): string {
    return `fledge/${this.endpoint}/`;
  }

  alarm(variant: string, kind: 'p99-latency' | 'error-rate'): string {
    return `${this.alarmPrefix()}${variant}/${kind}`;
  }

  topic(): string {
    return `fledge-alarms-${this.endpoint}`;
  }

  private named(kind: 'm' | 'c', content: unknown): string {
    const head = `${this.prefix}-${kind}-`;
    return head + sha256Hex(canonicalJson(content)).slice(0, MAX_NAME - head.length);
  }

  private owns(name: string, kind: 'm' | 'c'): boolean {
    const head = `${this.prefix}-${kind}-`;
    return name.startsWith(head) && /^[0-9a-f]+$/.test(name.slice(head.length));
  }
}
