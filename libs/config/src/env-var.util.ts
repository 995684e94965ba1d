import { z } from 'zod';

import { Secret } from './secret.js';

/** The process environment as a loader receives it (only libs/config ever reads `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

const unset = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';
const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/**
 * Field builders: each takes the raw string (unset or empty means "not given"), applies its
 * default and reports a message that names the rule but never echoes the value.
 */
export const envVar = {
  string<D extends string | undefined = undefined>(
    opts: { default?: D; minLength?: number; pattern?: RegExp; hint?: string } = {},
  ) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): string | D => {
        if (unset(raw)) return opts.default as D;
        const value = raw.trim();
        if (opts.minLength !== undefined && value.length < opts.minLength)
          return fail(ctx, `must be at least ${opts.minLength} characters long`);
        if (opts.pattern && !opts.pattern.test(value)) return fail(ctx, opts.hint ?? `must match ${opts.pattern}`);
        return value;
      });
  },

  secret(opts: { minLength?: number } = {}) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): Secret | undefined => {
        if (unset(raw)) return undefined;
        if (opts.minLength !== undefined && raw.length < opts.minLength)
          return fail(ctx, `must be at least ${opts.minLength} characters long`);
        return new Secret(raw);
      });
  },

  int<D extends number | undefined = undefined>(opts: { default?: D; min: number; max: number }) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): number | D => {
        if (unset(raw)) return opts.default as D;
        const value = Number(raw.trim());
        if (!/^-?\d+$/.test(raw.trim()) || value < opts.min || value > opts.max)
          return fail(ctx, `must be an integer from ${opts.min} to ${opts.max}`);
        return value;
      });
  },

  port(defaultPort: number) {
    return envVar.int({ default: defaultPort, min: 1, max: 65_535 });
  },

  /** A byte count: a plain integer or one with a unit (`512MiB`, `2GiB`, `10MB`). */
  bytes<D extends number | undefined = undefined>(opts: { default?: D; min: number; max?: number }) {
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    return z
      .string()
      .optional()
      .transform((raw, ctx): number | D => {
        if (unset(raw)) return opts.default as D;
        const value = parseBytes(raw);
        if (value === undefined || value < opts.min || value > max)
          return fail(ctx, `must be a byte count from ${opts.min} to ${max} (e.g. 1048576, 512MiB, 2GiB)`);
        return value;
      });
  },

  bool<D extends boolean | undefined = undefined>(opts: { default?: D } = {}) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): boolean | D => {
        if (unset(raw)) return opts.default as D;
        const value = raw.trim().toLowerCase();
        if (['true', '1', 'yes', 'on'].includes(value)) return true;
        if (['false', '0', 'no', 'off'].includes(value)) return false;
        return fail(ctx, 'must be true or false');
      });
  },

  oneOf<const V extends readonly [string, ...string[]], D extends V[number] | undefined = undefined>(
    values: V,
    opts: { default?: D } = {},
  ) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): V[number] | D => {
        if (unset(raw)) return opts.default as D;
        const value = raw.trim();
        if (!values.includes(value)) return fail(ctx, `must be one of ${values.join(', ')}`);
        return value as V[number];
      });
  },

  url<D extends string | undefined = undefined>(opts: { protocols: readonly string[]; default?: D }) {
    return z
      .string()
      .optional()
      .transform((raw, ctx): string | D => {
        if (unset(raw)) return opts.default as D;
        let url: URL;
        try {
          url = new URL(raw.trim());
        } catch {
          return fail(ctx, `must be a URL (${opts.protocols.join(', ')})`);
        }
        if (!opts.protocols.includes(url.protocol.replace(/:$/, '')))
          return fail(ctx, `must be a URL with scheme ${opts.protocols.join(' or ')}`);
        return raw.trim();
      });
  },
};

const units: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export function parseBytes(raw: string): number | undefined {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const value = Number(match[1]) * unit;
  return Number.isSafeInteger(value) ? value : undefined;
}
