import { FledgeError } from '@fledge/errors';
import { InvalidArgumentError } from 'commander';

import { UsageError } from '../usage-error.js';
import { type Json } from './args.util.js';

/** The policy flags of `deploy` and `promote`, as commander parsed them. */
export interface PolicyFlags {
  policy?: Json;
  gateDataset?: { name: string; version: number };
  minAccuracy?: number;
  maxAccuracyDrop?: number;
  canary?: CanaryStepFlag[];
  shadowSeconds?: number;
  /** false with --no-shadow (commander's default for a negated flag is true). */
  shadow?: boolean;
  minAgreement?: number;
  checkInterval?: number;
  requireApproval?: boolean;
  maxP99Ms?: number;
  maxErrorRate?: number;
  bake?: number;
  window?: number;
}

export interface CanaryStepFlag {
  weight: number;
  /** Absent when the step was given as a weight alone (its bake then comes from --bake). */
  bakeSeconds?: number;
}

/** A fraction 0..1 (accuracies, drops in absolute points, rates). */
export function parseFraction(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(`"${raw}" is not a number between 0 and 1.`);
  }
  return value;
}

export function parseSeconds(raw: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError(`"${raw}" is not a whole number of seconds (0, 1, ...).`);
  }
  return Number(raw);
}

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** `90`, `90s`, `2m`, `1h`: whole seconds. */
export function parseDuration(raw: string): number {
  const match = /^\s*(\d+)\s*([smh]?)\s*$/.exec(raw);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]] : NaN;
  if (!Number.isSafeInteger(seconds)) {
    throw new InvalidArgumentError(`"${raw}" is not a duration (seconds, or with a unit: 90s, 2m, 1h).`);
  }
  return seconds;
}

export function parsePositiveDuration(raw: string): number {
  const seconds = parseDuration(raw);
  if (seconds < 1) throw new InvalidArgumentError(`"${raw}" must be at least 1 second.`);
  return seconds;
}

/** Milliseconds, greater than 0 (fractions allowed). */
export function parseMilliseconds(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`"${raw}" is not a number of milliseconds greater than 0.`);
  }
  return value;
}

/**
 * `5:120,25:120,50:120` (each step's candidate weight in percent and its bake time), or weights
 * alone, `5,25,50`, whose bake times come from --bake.
 */
export function parseCanarySteps(raw: string): CanaryStepFlag[] {
  const steps = raw.split(',').map((item): CanaryStepFlag => {
    const match = /^\s*(\d+)\s*(?::\s*(\d+\s*[smh]?)\s*)?$/.exec(item);
    if (!match) {
      throw new InvalidArgumentError(`"${item}" is not <weight> or <weight>:<bake> (e.g. 5:120,25:120,50:120).`);
    }
    return {
      weight: Number(match[1]),
      ...(match[2] !== undefined && { bakeSeconds: parseDuration(match[2]) }),
    };
  });
  let previous = 0;
  for (const { weight } of steps) {
    if (weight < 1 || weight > 99) throw new InvalidArgumentError(`weight ${weight} is not between 1 and 99.`);
    if (weight <= previous) {
      throw new InvalidArgumentError(`weights must increase from step to step (${weight} after ${previous}).`);
    }
    previous = weight;
  }
  return steps;
}

/** One field of the policy that a flag sets, with the flag as the user typed it. */
interface FlagSetting {
  flag: string;
  field: string;
  value: unknown;
  /** Other spellings of the field in --policy (the gate dataset by reference or by id). */
  aliases?: string[];
}

/** The flag that sets each policy field (also names the fields of a policy the API refuses). */
export const POLICY_FIELD_FLAGS: Readonly<Record<string, string>> = {
  'gate.dataset': '--gate-dataset',
  'gate.datasetVersionId': '--gate-dataset',
  'gate.minAccuracy': '--min-accuracy',
  'gate.maxAccuracyDrop': '--max-accuracy-drop',
  'canary.steps': '--canary',
  'shadow.enabled': '--no-shadow',
  'shadow.durationSeconds': '--shadow-seconds',
  'shadow.minAgreement': '--min-agreement',
  'slo.maxP99LatencyMs': '--max-p99-ms',
  'slo.maxErrorRate': '--max-error-rate',
  'slo.windowSeconds': '--window',
  checkIntervalSeconds: '--check-interval',
  'promote.bakeSeconds': '--bake',
  'promote.requireApproval': '--require-approval',
};

function settingsOf(flags: PolicyFlags): FlagSetting[] {
  const settings: FlagSetting[] = [];
  const add = (flag: string, field: string, value: unknown, aliases?: string[]) => {
    if (value !== undefined) settings.push({ flag, field, value, aliases });
  };
  if (flags.gateDataset) {
    const ref = `${flags.gateDataset.name}@${flags.gateDataset.version}`;
    add(`--gate-dataset ${ref}`, 'gate.dataset', ref, ['gate.datasetVersionId']);
  }
  add(`--min-accuracy ${flags.minAccuracy}`, 'gate.minAccuracy', flags.minAccuracy);
  add(`--max-accuracy-drop ${flags.maxAccuracyDrop}`, 'gate.maxAccuracyDrop', flags.maxAccuracyDrop);
  if (flags.shadow === false) add('--no-shadow', 'shadow.enabled', false);
  add(`--min-agreement ${flags.minAgreement}`, 'shadow.minAgreement', flags.minAgreement);
  add(`--max-p99-ms ${flags.maxP99Ms}`, 'slo.maxP99LatencyMs', flags.maxP99Ms);
  add(`--max-error-rate ${flags.maxErrorRate}`, 'slo.maxErrorRate', flags.maxErrorRate);
  add(`--window ${flags.window}`, 'slo.windowSeconds', flags.window);
  add(`--check-interval ${flags.checkInterval}`, 'checkIntervalSeconds', flags.checkInterval);
  if (flags.requireApproval) add('--require-approval', 'promote.requireApproval', true);

  // --bake sets every bake that no more specific flag sets: shadow, each canary step, the final one.
  const { bake } = flags;
  if (flags.shadowSeconds !== undefined) {
    add(`--shadow-seconds ${flags.shadowSeconds}`, 'shadow.durationSeconds', flags.shadowSeconds);
  } else {
    add(`--bake ${bake}`, 'shadow.durationSeconds', bake);
  }
  add(`--bake ${bake}`, 'promote.bakeSeconds', bake);
  if (flags.canary) {
    const missing = flags.canary.find((s) => s.bakeSeconds === undefined);
    if (missing && bake === undefined) {
      throw new UsageError(
        `--canary step ${missing.weight} has no bake time: write it as weight:seconds or add --bake`,
      );
    }
    const steps = flags.canary.map((s) => ({ weight: s.weight, bakeSeconds: s.bakeSeconds ?? bake }));
    add(`--canary ${steps.map((s) => `${s.weight}:${s.bakeSeconds}`).join(',')}`, 'canary.steps', steps);
  } else if (bake !== undefined) {
    const jsonSteps = getPath(flags.policy ?? {}, 'canary.steps');
    if (!Array.isArray(jsonSteps)) {
      throw new UsageError(
        "--bake also sets each canary step's bake time: name the steps with --canary (e.g. --canary 5,25,50 --bake 30s)",
      );
    }
    jsonSteps.forEach((_, i) => add(`--bake ${bake}`, `canary.steps[${i}].bakeSeconds`, bake));
  }
  return settings;
}

const PATH_PART = /[^.[\]]+/g;

function getPath(root: Json, field: string): unknown {
  let value: unknown = root;
  for (const part of field.match(PATH_PART) ?? []) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function setPath(root: Json, field: string, value: unknown): void {
  const parts = field.match(PATH_PART) ?? [];
  let node = root as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * The policy JSON sent with deploy/promote: `--policy` with each flag merged into it. A flag and
 * `--policy` that set one field to different values contradict each other: a usage error naming
 * both. Undefined when neither says anything: the server's defaults.
 */
export function buildRolloutPolicy(flags: PolicyFlags): Json | undefined {
  const policy: Json = structuredClone(flags.policy ?? {});
  for (const setting of settingsOf(flags)) {
    for (const field of [setting.field, ...(setting.aliases ?? [])]) {
      const fromJson = getPath(policy, field);
      if (fromJson !== undefined && JSON.stringify(fromJson) !== JSON.stringify(setting.value)) {
        throw new UsageError(
          `${setting.flag} contradicts --policy ${field}: ${JSON.stringify(fromJson)} (give the setting once)`,
        );
      }
    }
    setPath(policy, setting.field, setting.value);
  }
  return Object.keys(policy).length === 0 ? undefined : policy;
}

/**
 * A policy the API refused, told in the terms the user typed: a field set by a flag is named by
 * that flag, one from --policy as `--policy <field>`, and one the user did not set by the flag
 * that sets it (`gate.datasetVersionId is required` → `--gate-dataset is required`).
 */
export function policyErrorInUserTerms(error: FledgeError, flags: PolicyFlags): FledgeError {
  if (error.reason !== 'POLICY_INVALID') return error;
  const details = error.details as { fields?: unknown; issues?: unknown };
  const issues: { field: string; problem?: string }[] = Array.isArray(details.issues)
    ? (details.issues as { field: string; problem: string }[])
    : Array.isArray(details.fields)
      ? (details.fields as string[]).map((field) => ({ field }))
      : [];
  if (issues.length === 0) return error;
  const json = flags.policy ?? {};
  const byFlag = new Map<string, string>();
  for (const s of settingsOf(flags)) {
    for (const field of [s.field, ...(s.aliases ?? [])]) byFlag.set(field, s.flag.split(' ')[0]);
  }
  const term = (field: string): string => {
    const step = /^canary\.steps\[(\d+)\]\.?(.*)$/.exec(field);
    const where = step ? ` (step ${Number(step[1]) + 1}${step[2] ? ` ${step[2]}` : ''})` : '';
    const flag = byFlag.get(field) ?? (step ? byFlag.get('canary.steps') : undefined);
    if (flag) return `${flag}${where}`;
    if (getPath(json, field) !== undefined) return `--policy ${field}`;
    if (field === 'gate.datasetVersionId' && getPath(json, 'gate.dataset') !== undefined)
      return '--policy gate.dataset';
    const settable = POLICY_FIELD_FLAGS[field] ?? (step ? POLICY_FIELD_FLAGS['canary.steps'] : undefined);
    return settable ? `${settable}${where}` : `--policy ${field}`;
  };
  const message = issues.every((i) => i.problem)
    ? `invalid rollout policy: ${issues.map((i) => `${term(i.field)} ${i.problem}`).join('; ')}`
    : `${error.message} (${issues.map((i) => term(i.field)).join(', ')})`;
  return new FledgeError(error.code, message, { reason: error.reason, details: error.details, cause: error });
}
