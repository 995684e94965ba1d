import { InvalidArgumentError } from 'commander';

import { type Json } from '../client/api.types.js';

/** The policy flags of `deploy` and `promote`, as commander parsed them. */
export interface PolicyFlags {
  policy?: Json;
  gateDataset?: { name: string; version: number };
  minAccuracy?: number;
  maxAccuracyDrop?: number;
  canary?: CanaryStepFlag[];
  shadowSeconds?: number;
  checkInterval?: number;
  requireApproval?: boolean;
}

export interface CanaryStepFlag {
  weight: number;
  bakeSeconds: number;
}

/** A fraction 0..1 (accuracies, drops in absolute points). */
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

/** `5:120,25:120,50:120`: each step's candidate weight in percent and its bake time in seconds. */
export function parseCanarySteps(raw: string): CanaryStepFlag[] {
  const steps = raw.split(',').map((item) => {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(item);
    if (!match) throw new InvalidArgumentError(`"${item}" is not <weight>:<bakeSeconds> (e.g. 5:120,25:120,50:120).`);
    return { weight: Number(match[1]), bakeSeconds: Number(match[2]) };
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

const section = (policy: Json, key: string): Json => {
  const value = policy[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
};

/**
 * The policy JSON sent with deploy/promote: `--policy` with each flag merged over it (a flag wins
 * over the same field in `--policy`). Undefined when neither says anything: the server's defaults.
 */
export function buildRolloutPolicy(flags: PolicyFlags): Json | undefined {
  const policy: Json = structuredClone(flags.policy ?? {});
  const set = (key: string, field: string, value: unknown) => {
    if (value === undefined) return;
    policy[key] = { ...section(policy, key), [field]: value };
  };
  if (flags.gateDataset) set('gate', 'dataset', `${flags.gateDataset.name}@${flags.gateDataset.version}`);
  set('gate', 'minAccuracy', flags.minAccuracy);
  set('gate', 'maxAccuracyDrop', flags.maxAccuracyDrop);
  set('canary', 'steps', flags.canary);
  set('shadow', 'durationSeconds', flags.shadowSeconds);
  if (flags.requireApproval) set('promote', 'requireApproval', true);
  if (flags.checkInterval !== undefined) policy.checkIntervalSeconds = flags.checkInterval;
  return Object.keys(policy).length === 0 ? undefined : policy;
}
