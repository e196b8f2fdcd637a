// The run directory is a contract: users, shards and later stages read it (../shared/DESIGN.md).
import type { ErrorClass, Manifest, Side } from '../clair/types.ts'

// The Clair client speaks these too; they are defined beside it so that clair/ never reads rundir/.
export type { ErrorClass, Side }

/** Where a sampled manifest came from; everything optional because a JSONL source may know nothing. */
export interface ManifestOrigin {
  namespace?: string
  repository?: string
  /**
   * The run's opaque name for the repository ("repository 3", by first appearance in the sample) where namespace
   * and repository are not published: it groups a repository's manifests within a run and reveals nothing else.
   */
  repository_label?: string
  media_type?: string
  /** The stratum the sampler drew it from, e.g. "oci/recent". */
  stratum?: string
  /** Production's index state when Quay stored its report (manifestsecuritystatus.indexer_hash). */
  indexer_hash?: string
  last_indexed?: string
  manifest_id?: number
  /**
   * Where each layer blob is stored in Quay (imagestorage), by layer digest: what signing its URL again needs
   * (with namespace and repository), never a signature. Foreign layers have none.
   */
  storage?: Record<string, LayerStorage>
}

/** A blob's storage identity in Quay: its imagestorage cas_path and uuid. */
export interface LayerStorage {
  cas_path: boolean
  uuid: string
}

/** One line of sample.jsonl. Layer URIs there have query strings and credentials removed. */
export interface SampledManifest {
  manifest: Manifest
  origin?: ManifestOrigin
}

export type Operation = 'index' | 'index_report' | 'vulnerability_report' | 'delete_index_report'

export interface RequestRecord {
  op: Operation
  side: Side
  /** HTTP status of the final attempt, null when none arrived. */
  status: number | null
  /** Milliseconds from the scheduled start to the end of the final attempt (open-loop latency). */
  latency_ms: number
  /** Milliseconds the request started after its scheduled time (scheduler lag). */
  start_lag_ms: number
  /** Milliseconds since the replay started at which the request was scheduled. */
  scheduled_at_ms: number
  attempts: number
  error?: ErrorClass
  /** A short, secret-free message for people. */
  message?: string
  bytes?: number
  /** Repeat reads used for noise detection carry the read number (0 = the first read). */
  read?: number
}

/** One line of records.jsonl. */
export interface ManifestRecord {
  digest: string
  /** The manifest's repository: namespace/repository with publish-repository-names, else its opaque label. */
  repository?: string
  requests: RequestRecord[]
  /**
   * true when delete-first removed the manifest before the POST, so the canary indexed it afresh; null when
   * unknown (Clair answers 201 whether it indexed or had the report already, so "not fresh" cannot be seen).
   */
  fresh_index?: true | null
  /** state of the canary's index report, when one was read. */
  canary_state?: string
  production_state?: string
}

export type ReportKind = 'index' | 'vulnerability'
export type DifferenceKind =
  'state' | 'distribution' | 'package' | 'repository' | 'environment' | 'vulnerability' | 'enrichment'
export type Change = 'added' | 'removed' | 'changed'
export type Attribution = 'code' | 'drift' | 'by-design' | 'noise' | 'allowed'

/** One element of differences[] in diffs.jsonl. added/removed are from production to canary. */
export interface Difference {
  report: ReportKind
  kind: DifferenceKind
  change: Change
  /** A readable content key, e.g. "openssl 1:1.1.1k-5.el8 (rpm, bdb:var/lib/rpm)". */
  key: string
  attribution: Attribution
  before: unknown
  after: unknown
  /** dpkg, rpm, apk, python, go, java, ... where the difference concerns a package. */
  ecosystem?: string
  /** The updater behind a vulnerability or enrichment difference. */
  updater?: string
  /**
   * On an enrichment difference: the updaters of the vulnerability it enriches. claircore's CVSS enricher reads
   * a vulnerability's name and links, so their data drifting changes the enrichment too.
   */
  enriches?: string[]
  /** Why this attribution, in one line (e.g. "RHEL8 fingerprints differ: prod 2026-11-21, canary 2026-11-22"). */
  why?: string
  /**
   * On a package difference: the vulnerability matches that appeared, disappeared or changed only because
   * of it. They are folded here and not reported one by one, so the package is counted once as the cause.
   * `names`: the vulnerability names involved, sorted, at most 20.
   */
  vulnerabilities?: { added: number; removed: number; changed: number; names: string[] }
}

/** One line of diffs.jsonl. */
export interface ManifestDiff {
  digest: string
  /** As ManifestRecord.repository. */
  repository?: string
  differences: Difference[]
}

export type Decision = 'pass' | 'fail' | 'inconclusive'
export type Verdict = Decision
/**
 * A gate's decision. `not-judged` leaves the verdict to the other gates: only index-latency-nights takes it, when
 * there is no history to judge against (the first nights, history that could not be read). See the README.
 */
export type GateDecision = Decision | 'not-judged'

export interface Gate {
  name: string
  value: number | string | null
  threshold: string
  decision: GateDecision
  /** One line saying why, with the numbers that decided. */
  detail: string
}

/** result.json `counts`. Manifests unless the name says differences (the attribution counts). */
// A type, not an interface, so that Object.entries sees its values as numbers.
export type Counts = {
  manifests: number
  compared: number
  /** Manifests with at least one difference. */
  different: number
  /** Manifests with at least one difference attributed to the code change. */
  code_different: number
  /** Manifests with an error on either side. */
  errors: number
  /** Differences, by attribution. */
  code: number
  drift: number
  'by-design': number
  noise: number
  allowed: number
  canary_errors: number
  production_errors: number
  canary_only_failures: number
  production_only_failures: number
  /** Only when stores were re-judged without records: manifests one side has a report for and the other lacks. */
  missing_canary_reports?: number
  missing_production_reports?: number
  /** Canary responses that break Quay's schema. */
  contract_violations: number
}

/** result.json: what judge() decides, and everything the summary, report.html, outputs and annotations show. */
export interface Result {
  schema: 'clair-canary/result/v1'
  verdict: Verdict
  /** The reasons for the verdict, most important first, one line each. */
  reasons: string[]
  gates: Gate[]
  counts: Counts
  aggregates: Aggregates
}

export interface ContractViolation {
  digest: string
  side: Side
  op: string
  message: string
}

export interface DifferenceExample {
  digest: string
  /** As ManifestRecord.repository. */
  repository?: string
  key: string
  before: unknown
  after: unknown
}

/** Differences grouped by (report, kind, change, ecosystem, attribution): src/judge/differences.ts. */
export interface DifferenceGroup {
  report: ReportKind
  kind: DifferenceKind
  change: Change
  ecosystem: string | null
  attribution: Attribution
  /** Manifests with at least one difference in this group. */
  manifests: number
  /** The repositories those manifests come from, when the sample knew them. */
  repositories?: number
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
  example: { digest: string; repository?: string; status: number | null; message?: string }
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
  repository?: string
  side: Side
  /** Error class, or "index_error" / "state <X>" when the report's state said so. */
  class: string
  message?: string
}

/** What the compared manifests exercised: counts of manifests per distribution, ecosystem and updater. */
export interface Coverage {
  manifests: number
  distributions: Record<string, number>
  ecosystems: Record<string, number>
  updaters: Record<string, number>
}

/** An Alertmanager alert that fired for the canary during the judged window. */
export interface FiredAlert {
  alertname: string
  fingerprint: string
  labels: Record<string, string>
  startsAt: string
  summary?: string
}

/** result.json `aggregates`: the groups and figures behind the gates. */
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
  signals?: { alerts: FiredAlert[]; window: { start: string; end: string } }
  /** What earlier runs' records said: the trend of this branch, the nights, the fields learned as noisy. */
  history?: RunHistory
}

/** What one side looked like during the run (run.json `sides`). Never holds credentials. */
export interface SideInfo {
  /** API URL with userinfo and query removed. */
  url: string
  index_state?: string
  version?: { version?: string; revision?: string; claircore_version?: string }
  /** updater -> fingerprint of its latest update operation. */
  updaters?: Record<string, { fingerprint: string; date?: string }>
  enrichers?: Record<string, { fingerprint: string; date?: string }>
}

/** run.json: what ran, so any red run can be reproduced or re-judged. */
export interface RunInfo {
  schema: 'clair-canary/run/v1'
  tool: { name: 'clair-canary'; version: string }
  started_at: string
  finished_at?: string
  seed: string
  /** The configuration with every secret replaced by "[redacted]". */
  config: unknown
  sides: { canary: SideInfo; production: SideInfo }
  sample: {
    source: string
    requested: number
    drawn: number
    strata?: Record<string, number>
    skipped?: Record<string, number>
    stale?: number
  }
  /** Stage name -> milliseconds. */
  timings: Record<string, number>
  /** Stages that did not complete, with a secret-free reason (partial results are still written). */
  incomplete?: Array<{ stage: string; reason: string }>
  /** Set when the replay stopped early because a regression was certain (src/judge/sequential.ts). */
  early_stop?: EarlyStop
  /** What earlier runs' history records gave this run (src/history), so re-judging it needs no records. */
  history?: RunHistory
  /**
   * Set when SIGINT/SIGTERM ended the run: it judged the manifests it finished (src/interrupt.ts).
   * second_signal: a second signal stopped the comparison too, so only the records were judged.
   */
  cancelled?: { signal: string; second_signal: boolean }
  shard?: { index: number; total: number }
}

/** Where and why a run stopped early (src/judge/sequential.ts). */
export interface EarlyStop {
  /** The gate that is certain to fail. */
  gate: string
  /** Manifests judged when it stopped (1-based: the stop came with the n-th finished manifest). */
  manifest: number
  /** The manifests the run had planned. */
  planned: number
  digest: string
  why: string
}

// --- History (src/history): what earlier runs' records gave this run ---------------------------------

/** One kind of difference, as specific as a rule can name it: what night-after-night noise is learned on. */
export interface FieldSignature {
  report: ReportKind
  kind: DifferenceKind
  change: Change
  ecosystem?: string
  updater?: string
  /** The fields a `changed` difference changed (before/after hold only those). */
  fields?: string[]
}

/** One earlier run as the trend shows it. */
export interface TrendPoint {
  time: string
  commit: string
  event: string
  run_id?: number
  verdict: Decision
  /** Differences by attribution. */
  differences: Record<Attribution, number>
  code_manifests: number
  /** The canary's first-read index latency, when it indexed anything. */
  canary_index?: { p50: number; p95: number; count: number }
  /** The canary's Clair build (canaryCode). */
  code: string
}

/** A field learned as noisy: it differed night after night without a code change. Shown, never suppressed. */
export interface NoisyField {
  signature: FieldSignature
  text: string
  /** Nights it differed on, of the nights looked at. */
  nights: number
  of: number
  /** Of those, nights with no code change (the canary ran production's build, or the build of the night before). */
  unchanged: number
  /** The content key, when it was the same every night. */
  key?: string
  /** The newest night it differed on. */
  last: string
}

/** run.json `history`: what this run read, so re-judging it gives the same verdict without the records. */
export interface RunHistory {
  /** Earlier runs and nights looked at, at most. */
  depth: number
  branch: string
  defaultBranch: string
  /** Where the records came from: "artifacts" or a directory. */
  source: string
  /** Earlier runs of this branch, newest first. */
  runs: TrendPoint[]
  /**
   * Scheduled runs on the default branch, newest first, among the last `depth`, whose settings make their canary
   * index latency comparable with this run's: the baseline of index-latency-nights.
   */
  nights: TrendPoint[]
  /** The last `depth` nights that were not comparable, newest first, each with why. */
  set_aside?: Array<{ time: string; run_id?: number; why: string }>
  /** Why earlier runs' records could not be read (the gate is then not judged); absent when they were. */
  unavailable?: string
  noisy: NoisyField[]
}
