import { type ClassificationMetrics } from '../metrics/classification.js';
import { type EvaluationMetrics } from '../metrics/compare.js';
import { type GatePolicy } from '../policy/rollout-policy.js';

export interface GateRuleResult {
  rule: string;
  passed: boolean;
  actual: number | null;
  threshold: number;
  reason: string;
}

export interface GateResult {
  passed: boolean;
  skipped: boolean;
  rules: GateRuleResult[];
  summary: string;
}

const fmt = (x: number) => (Math.round(x * 10_000) / 10_000).toString();

function floorRule(rule: string, actual: number, threshold: number): GateRuleResult {
  const passed = actual >= threshold;
  return {
    rule,
    passed,
    actual,
    threshold,
    reason: `${rule}: ${fmt(actual)} ${passed ? '≥' : '<'} ${fmt(threshold)}`,
  };
}

function dropRule(rule: string, candidate: number, baseline: number, maxDrop: number): GateRuleResult {
  const drop = baseline - candidate;
  const passed = drop <= maxDrop + 1e-12;
  return {
    rule,
    passed,
    actual: drop,
    threshold: maxDrop,
    reason: `${rule}: candidate ${fmt(candidate)} vs baseline ${fmt(baseline)}, drop ${fmt(drop)} ${passed ? '≤' : '>'} ${fmt(maxDrop)}`,
  };
}

/**
 * The offline gate: every configured rule is checked and reported, so a failure names all its
 * reasons. Relative rules apply only when a baseline evaluation exists (first deploys have none).
 */
export function evaluateGate(
  policy: GatePolicy,
  candidate: EvaluationMetrics | null,
  baseline: EvaluationMetrics | null,
): GateResult {
  if (policy.datasetVersionId === null) {
    return { passed: true, skipped: true, rules: [], summary: 'gate skipped: the policy names no dataset version' };
  }
  if (candidate === null) {
    return {
      passed: false,
      skipped: false,
      rules: [],
      summary: 'gate failed: the candidate has no completed evaluation',
    };
  }
  const rules: GateRuleResult[] = [];
  if (candidate.kind === 'classification') {
    const c = candidate;
    if (policy.minAccuracy !== null) rules.push(floorRule('minAccuracy', c.accuracy, policy.minAccuracy));
    if (policy.minMacroF1 !== null) rules.push(floorRule('minMacroF1', c.macroF1, policy.minMacroF1));
    for (const [label, floor] of Object.entries(policy.perClassMinF1)) {
      const perClass = c.perClass.find((m) => m.label === label);
      rules.push(
        perClass
          ? floorRule(`perClassMinF1.${label}`, perClass.f1, floor)
          : {
              rule: `perClassMinF1.${label}`,
              passed: false,
              actual: null,
              threshold: floor,
              reason: `class ${label} is not in the evaluation`,
            },
      );
    }
    if (baseline !== null && baseline.kind === 'classification') {
      const b = baseline as ClassificationMetrics;
      if (policy.maxAccuracyDrop !== null)
        rules.push(dropRule('maxAccuracyDrop', c.accuracy, b.accuracy, policy.maxAccuracyDrop));
      if (policy.maxMacroF1Drop !== null)
        rules.push(dropRule('maxMacroF1Drop', c.macroF1, b.macroF1, policy.maxMacroF1Drop));
    }
  }
  const failed = rules.filter((r) => !r.passed);
  const passed = failed.length === 0;
  const summary = passed
    ? `gate passed (${rules.length} rule${rules.length === 1 ? '' : 's'})`
    : `gate failed: ${failed.map((r) => r.reason).join('; ')}`;
  return { passed, skipped: false, rules, summary };
}
