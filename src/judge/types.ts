// What judge() reads and the aggregates it adds to result.json (besides verdict, reasons, gates, counts).
import type { Coverage } from '../compare/compare.ts'
import type { Rules } from '../config/types.ts'
import type { SignalOutcome } from '../signals/watch.ts'
import type { RunHistory } from '../history/baseline.ts'
import type {
  Attribution,
  EarlyStop,
  Change,
  DifferenceKind,
  ErrorClass,
  ManifestDiff,
  ManifestRecord,
  Operation,
  ReportKind,
  Result,
  Side,
} from '../rundir/types.ts'

export type { Coverage }

export interface ContractViolation {
  digest: string
  side: Side
  op: string
  message: string
}

export interface JudgeInput {
  records: ManifestRecord[]
  diffs: ManifestDiff[]
  rules: Rules
  contractViolations: ContractViolation[]
  sample: { requested: number; drawn: number }
  coverage?: Coverage
  incomplete?: Array<{ stage: string; reason: string }>
  expiredRules?: Array<{ reason: string; expires: string }>
  newFields?: string[]
  /**
   * Sides whose update operations (GET …/internal/update_operation) could not be read: their vulnerability
   * differences cannot be told apart from vulnerability-data drift.
   */
  unknownUpdateOperations?: Array<'production' | 'canary'>
  /**
   * Re-judged stores (no records): manifests with a report on the other side that this side lacks. A missing
   * canary report is missing evidence: the run is inconclusive, never a pass.
   */
  missingReports?: { canary: number; production: number }
  /** The Prometheus and Alertmanager gates, judged around the replay (src/signals). */
  signals?: SignalOutcome
  /** The replay stopped before its planned sample because a sequential test found a regression certain. */
  earlyStop?: EarlyStop
  /** Earlier runs' history (src/history): trends, the nights the canary's index latency is judged against. */
  history?: RunHistory
}

export interface DifferenceExample {
  digest: string
  key: string
  before: unknown
  after: unknown
}

/** Differences grouped by (report, kind, change, ecosystem, attribution). */
export interface DifferenceGroup {
  report: ReportKind
  kind: DifferenceKind
  change: Change
  ecosystem: string | null
  attribution: Attribution
  /** Manifests with at least one difference in this group. */
  manifests: number
  differences: number
  /** Updaters behind the differences, most frequent first. */
  updaters: Array<{ updater: string; differences: number }>
  /** The attribution's one-line why, from the first difference that has one. */
  why: string | null
  /** Up to five, from distinct manifests where possible. */
  examples: DifferenceExample[]
}

export interface ErrorGroup {
  side: Side
  op: Operation
  class: ErrorClass
  requests: number
  manifests: number
  example: { digest: string; status: number | null; message?: string }
}

export interface LatencyQuantiles {
  p50: number
  p95: number
  p99: number
  max: number
}

/** Latency of every first-read request of one op on one side, failed ones included (open-loop latency). */
export interface LatencyFigures extends LatencyQuantiles {
  op: Operation
  side: Side
  count: number
}

export interface TailTest {
  quantile: 'p95' | 'p99'
  /** The pooled (both sides) quantile: a threshold the null hypothesis cannot tell apart from either side. */
  threshold_ms: number
  /** Pairs where only the canary is above the threshold. */
  canaryAbove: number
  /** Pairs where only production is above it. */
  productionAbove: number
  /** Exact one-sided McNemar p-value for "the canary exceeds it more often". */
  p: number
}

/** The paired vulnerability-report comparison the latency gate decided on. */
export interface PairedLatency {
  op: 'vulnerability_report'
  pairs: number
  canary: LatencyQuantiles
  production: LatencyQuantiles
  /** canary / production for each quantile of the paired samples. */
  ratios: { p50: number; p95: number; p99: number }
  /** exp(median of log(canary / production)), the effect size, with its sign-test interval. */
  medianRatio: number
  medianRatioInterval: { lower: number | null; upper: number | null; level: number | null }
  /** Wilcoxon signed-rank on the log ratios; pGreater = "the canary is slower". */
  wilcoxon: { n: number; zeros: number; exact: boolean; pGreater: number; pTwoSided: number }
  tails: TailTest[]
  /** alpha divided over the tests made (Bonferroni), the level each p-value is held to. */
  alphaPerTest: number
  /** What decided: 'location', 'tail p95', 'tail p99', or 'none'. */
  decidedBy: string
}

export interface Outcomes {
  /** Both sides answered with finished reports: their reports were compared. */
  compared: number
  canaryOnlyFailures: number
  productionOnlyFailures: number
  bothFailed: number
  /** Manifests with no request recorded for that side. */
  canaryMissing: number
  productionMissing: number
  /** Manifests the canary refused for setup reasons (unauthorized, not_ready): not evidence either way. */
  canaryUnusable: number
  /**
   * Manifests whose canary reports could not be read (a dropped connection, a cut body, a timeout on a GET,
   * a cancelled run): a failed read is not a failed index, so they are not evidence either way.
   */
  canaryUnread: number
}

export interface FailureExample {
  digest: string
  side: Side
  /** Error class, or "index_error" / "state <X>" when the report's state said so. */
  class: string
  message?: string
}

export interface Aggregates {
  differences: DifferenceGroup[]
  errors: ErrorGroup[]
  latency: { requests: LatencyFigures[]; vulnerabilityReport: PairedLatency | null }
  outcomes: Outcomes
  /** Up to 20 manifests production indexed but the canary did not. */
  canaryOnlyFailures: FailureExample[]
  contractViolations: { canary: number; production: number; examples: ContractViolation[] }
  coverage: Coverage | null
  newFields: string[]
  expiredRules: Array<{ reason: string; expires: string }>
  incomplete: Array<{ stage: string; reason: string }>
  sample: { requested: number; drawn: number }
  /** How late the replay started requests (open-loop scheduler lag), over every request; null without records. */
  startLag: { p95: number; max: number } | null
  /** Alerts that fired for the canary and the window the live signals were judged over. */
  signals?: Pick<SignalOutcome, 'alerts' | 'window'>
  /** What earlier runs' records said: the trend of this branch, the nights, the fields learned as noisy. */
  history?: RunHistory
}

export type JudgedResult = Result & { aggregates: Aggregates }
export type { EarlyStop } from '../rundir/types.ts'
