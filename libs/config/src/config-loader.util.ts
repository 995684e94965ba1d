import { type z } from 'zod';

import { ConfigError, type ConfigIssue } from './config-error.js';
import { deepFreeze, type DeepReadonly } from './deep-freeze.util.js';
import { type Env } from './env-var.util.js';

/** Reports a conditional-rule violation against one variable. */
export type Report = (variable: string, message: string) => void;

/**
 * Adds a process's conditional rules (required-when, must-differ...) to its schema. They run even
 * when some field already failed, so one boot reports every problem; a variable whose own
 * validation failed keeps only that first message.
 */
export function withRules<S extends z.ZodObject>(schema: S, rules: (vars: z.output<S>, report: Report) => void) {
  return schema.superRefine(
    (vars, ctx) => rules(vars, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message })),
    { when: () => true },
  );
}

/**
 * Builds a loader for one process: validate the environment against its schema, map the flat
 * variables to a nested typed object, freeze it deeply. Every bad variable is reported at once.
 */
export function defineConfigLoader<S extends z.ZodType<Record<string, unknown>, Env>, T>(
  processName: string,
  schema: S,
  build: (vars: z.output<S>) => T,
): (env: Env) => DeepReadonly<T> {
  return (env) => {
    const parsed = schema.safeParse(env);
    if (!parsed.success) {
      const issues = new Map<string, ConfigIssue>();
      for (const issue of parsed.error.issues) {
        const variable = String(issue.path[0] ?? '(environment)');
        if (!issues.has(variable)) issues.set(variable, { variable, message: issue.message });
      }
      throw new ConfigError(processName, [...issues.values()]);
    }
    return deepFreeze(build(parsed.data));
  };
}
