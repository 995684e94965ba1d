import { readFileSync } from 'node:fs';

import { InvalidArgumentError } from 'commander';

/** A JSON object as given on the command line. */
export type Json = Record<string, unknown>;

/** `<name>`, `<name>@<version>` or `<name>@<alias>`. */
export interface VersionRef {
  name: string;
  version?: number;
  alias?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const ALIAS = /^[a-z][a-z0-9_-]*$/i;

export function parseVersionNumber(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError(`"${raw}" is not a version number (1, 2, ...).`);
  }
  return Number(raw);
}

export function parseVersionRef(raw: string): VersionRef {
  const at = raw.lastIndexOf('@');
  const name = at < 0 ? raw : raw.slice(0, at);
  if (!NAME.test(name)) throw new InvalidArgumentError(`"${name}" is not a name (lower-case letters, digits, dashes).`);
  if (at < 0) return { name };
  const suffix = raw.slice(at + 1);
  if (/^\d+$/.test(suffix)) return { name, version: parseVersionNumber(suffix) };
  if (ALIAS.test(suffix)) return { name, alias: suffix };
  throw new InvalidArgumentError(`"${raw}" is not <name>, <name>@<version> or <name>@<alias>.`);
}

/** `<name>@<version>` with a version number. */
export function parseExactVersionRef(raw: string): { name: string; version: number } {
  const ref = parseVersionRef(raw);
  if (ref.version === undefined) throw new InvalidArgumentError(`"${raw}" needs a version number: <name>@<version>.`);
  return { name: ref.name, version: ref.version };
}

/** Inline JSON or `@path/to/file.json`; always a JSON object. */
export function parseJsonObject(
  raw: string,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Json {
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readText(raw.slice(1));
    } catch (error) {
      throw new InvalidArgumentError(`cannot read ${raw.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('must be a JSON object, e.g. {"epochs": 10}');
  }
  return value as Json;
}

/** `a,b,c` → `['a','b','c']`; an empty item is a mistake. */
export function parseColumnList(raw: string): string[] {
  const columns = raw.split(',').map((c) => c.trim());
  if (columns.some((c) => c === '')) throw new InvalidArgumentError(`"${raw}" has an empty column name.`);
  return columns;
}

export function parsePositiveInt(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError(`"${raw}" is not a positive integer.`);
  }
  return Number(raw);
}
