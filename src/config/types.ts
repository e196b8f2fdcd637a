// The one typed configuration every stage reads. Built and validated only in ./config.ts.
import type { Secret } from '../secret.ts'
import type { ClairTarget, ClientOptions } from '../clair/client.ts'
import type { Change, DifferenceKind, ReportKind } from '../rundir/types.ts'

export interface ReplayOptions {
  /** POSTs per second to the canary's indexer (open loop). */
  rate: number
  /** At most this many requests in flight. */
  concurrency: number
  /** GETs per second against production, capped: production is never load-tested. */
  productionRate: number
  /** DELETE the manifest on the canary first so it really indexes instead of answering from its cache. */
  deleteFirst: boolean
  /** Fraction (0..1) of manifests read twice from each side to measure noise. */
  rereadFraction: number
  /**
   * Stop the replay and fail as soon as a sequential test finds a regression certain (src/judge/sequential.ts).
   * The pipeline's concern, not the replay engine's: absent means true.
   */
  earlyStop?: boolean
}

export type SourceConfig =
  | {
      kind: 'jsonl'
      path: string
      /**
       * How to sign the layer URLs of lines that keep their blobs' storage (what `sample --out` writes), or why
       * that cannot be done: only a file holding such lines needs them.
       */
      layers: LayerUriOptions | { missing: string }
    }
  | {
      kind: 'quay-db'
      dsn: Secret<string>
      sampler: SamplerSettings
      layers: LayerUriOptions
    }

/** Where Clair fetches layers from: fresh URLs made as Quay makes them (src/quay/uris.ts). */
export type LayerUriOptions =
  | { mode: 's3'; s3: S3Options }
  | { mode: 'registry'; registry: RegistryOptions }
  | { mode: 'template'; template: string }

export interface S3Options {
  bucket: string
  region: string
  accessKeyId: string
  secretAccessKey: Secret<string>
  sessionToken?: Secret<string>
  /** Quay's storage_path for the S3 driver; prefixed to the blob path, leading '/' stripped. */
  storagePath?: string
  /** Path-style endpoint, e.g. http://127.0.0.1:9000 (tests, MinIO, RadosGW). Default: AWS virtual-hosted. */
  endpoint?: string
  /** Seconds the URL stays valid; Quay uses 600. */
  expiresIn: number
}

export interface RegistryOptions {
  /** Quay's base URL, e.g. https://quay.io. */
  url: string
  /** A ready bearer token used for every repository. */
  token?: Secret<string>
  /** Robot credentials for Quay's token endpoint. */
  username?: string
  password?: Secret<string>
}

export type StratumDimension = 'media_type' | 'distribution' | 'recency'

/** How the Quay sampler draws (src/config/sampler.ts parses them; src/quay/sampler.ts draws). */
export interface SamplerSettings {
  strata: StratumDimension[]
  /** last_indexed within this many days is "recent". */
  recentDays: number
  liveTagsOnly: boolean
  /** Only manifests whose stored indexer_hash is production's current index state (read at sample time). */
  currentIndexStateOnly: boolean
  /** quay: reproduce Quay's empty-layer entries from the config history; skip: manifest layers only. */
  emptyLayers: 'quay' | 'skip'
  /** Draw from private repositories too (Quay's repository visibility); by default public ones only. */
  includePrivate: boolean
}

export interface Match {
  report?: ReportKind
  kind?: DifferenceKind
  change?: Change
  /** Glob over the readable key: * matches any run of characters. */
  key?: string
  ecosystem?: string
  updater?: string
}

export interface IgnoreRule extends Match {
  reason: string
}

export interface ExpectedChange extends Match {
  reason: string
  /** YYYY-MM-DD; after it the rule no longer applies and the summary says it expired. */
  expires: string
}

export interface LatencyThresholds {
  /**
   * Tail limits: a p95/p99 ratio above its limit fails when the tail test is significant. p50 is shown, not
   * judged: the paired ratio and its confidence bound judge the middle.
   */
  maxRatio: { p50: number; p95: number; p99: number }
  /** Significance level of the paired test. */
  alpha: number
  /** Effect-size floor: the median paired ratio must exceed this for a latency failure. */
  minEffect: number
  /** Index POST absolute limits. */
  indexP95Ms: number
  indexMaxMs: number
}

export interface GateThresholds {
  /** Manifests production indexed but the canary did not. */
  maxCanaryOnlyFailures: number
  /** Manifests with `code` differences. */
  maxCodeDifferences: { index: number; vulnerability: number }
  latency: LatencyThresholds
  /** Fewer compared manifests than this is inconclusive. */
  minCompared: number
  /** More production-side errors than this fraction is inconclusive. */
  maxProductionErrorRate: number
  /** Canary responses that break Quay's schema. */
  maxContractViolations: number
}

/** A PromQL gate: $selector becomes the canary's label matchers, $window the replay window ("125s"). */
export interface PromQuery {
  name: string
  query: string
  /** Pass when the value is at most this... */
  max?: number
  /** ...or at least this (exactly one of the two). */
  min?: number
}

/** Live signals: which series and alerts are the canary's, and the PromQL gates. */
export interface SignalRules {
  /** Label matchers of the canary's series, e.g. job="clair-canary" (no braces). */
  selector: string
  queries: PromQuery[]
  /** Seconds to wait after the replay before querying, so Prometheus has scraped its last requests. */
  settleSeconds: number
  alerts: {
    /** Alertmanager matchers (label="value", =~, !=, !~) an alert must satisfy to be the canary's. */
    matchers: string[]
    /** Seconds between polls of Alertmanager while the replay and the incubation run. */
    pollSeconds: number
  }
}

export interface Rules {
  ignore: IgnoreRule[]
  expected: ExpectedChange[]
  /** Changes allowed when index states differ (default: additions only). */
  byDesign: { allow: Change[] }
  /** Ignore the package `detector` field (changes with every scanner version). */
  ignoreDetector: boolean
  gates: GateThresholds
  signals: SignalRules
}

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'action_required'

export interface GitHubOptions {
  token?: Secret<string>
  /** Create a check run. */
  checks: boolean
  checkName: string
  /** Conclusion for each verdict. */
  conclusions: { pass: CheckConclusion; fail: CheckConclusion; inconclusive: CheckConclusion }
  annotations: boolean
  artifacts: boolean
  artifactName: string
  retentionDays?: number
  /** Repository path check-run annotations point at (the rules file, else the workflow file). */
  annotationPath: string
}

export interface Config {
  runDir: string
  /** Seed for sampling and re-read selection; recorded in run.json so a run can be reproduced. */
  seed: string
  canary: ClairTarget
  production: ClairTarget
  /** Wait until the canary's clair_cmd_version_info revision equals this (a commit sha). */
  expectRevision?: string
  readiness: { timeoutMs: number; pollMs: number }
  source: SourceConfig
  sampleSize: number
  /** Namespace and repository names stay in the run directory's files (they are published with it). */
  publishRepositoryNames: boolean
  client: ClientOptions
  replay: ReplayOptions
  rules: Rules
  /** Where the rules came from, for run.json. */
  rulesFile?: string
  github: GitHubOptions
  /** Fail the action step when the verdict is fail (and, if set, inconclusive). */
  failOn: { inconclusive: boolean }
  /** This leg of a matrix: only the manifests that hash to it are replayed. */
  shard?: { index: number; total: number }
  signals: SignalsOptions
  /** Keep this run's history record and read earlier ones (src/history); absent when history is off. */
  history?: HistoryOptions
}

/** Where earlier runs' records are and what this run is among them. */
export interface HistoryOptions {
  /** Earlier runs of this branch shown, and nights judged against. */
  depth: number
  /** A directory of records (the CLI); absent: earlier runs' artifacts (the action). */
  dir?: string
  branch: string
  /** The repository's default branch: its scheduled runs are the nights. */
  defaultBranch: string
  commit: string
  /** The GitHub event (push, schedule, pull_request, ...) or manual. */
  event: string
  runId?: number
}

/** `clair-canary sample`: the draw on its own. */
export interface SampleConfig extends Pick<Config, 'seed' | 'sampleSize'> {
  source: Extract<SourceConfig, { kind: 'quay-db' }>
  /** The JSONL file to write. */
  out: string
}

/** Where the live signals are; each is optional and off when absent. */
export interface SignalsOptions {
  prometheusUrl?: string
  alertmanagerUrl?: string
  pushgatewayUrl?: string
  /** Keep watching Alertmanager this long after the replay. */
  incubationMs: number
}

/** What judging and publishing need: all a merge (the aggregate job of a sharded run) has. */
export type JudgeConfig = Pick<Config, 'runDir' | 'rules' | 'rulesFile' | 'github' | 'failOn'>

/** The aggregate job of a sharded run: merge the legs' run directories into runDir, then judge once. */
export interface MergeConfig extends JudgeConfig {
  merge: string[]
  /** Keep one history record for the whole sharded run and judge it against earlier ones, as a run does. */
  history?: HistoryOptions
}
