// The rules in force without a rules file. Apart from rules.ts so that reading them does not load the YAML parser.
import type { Rules } from '../config/types.ts'

export const DEFAULT_RULES: Rules = Object.freeze({
  ignore: [],
  expected: [],
  byDesign: { allow: ['added'] },
  ignoreDetector: true,
  gates: {
    maxCanaryOnlyFailures: 0,
    maxCodeDifferences: { index: 0, vulnerability: 0 },
    latency: {
      maxRatio: { p50: 1.25, p95: 1.5, p99: 2 },
      alpha: 0.01,
      minEffect: 1.1,
      indexP95Ms: 120000,
      indexMaxMs: 300000,
    },
    minCompared: 20,
    maxProductionErrorRate: 0.1,
    maxContractViolations: 0,
  },
}) as Rules
