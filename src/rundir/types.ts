// The run directory is a contract: users, shards and later stages read it (../shared/DESIGN.md).
import type { Manifest } from '../clair/types.ts'
import type { RunHistory } from '../history/baseline.ts'

export type Side = 'canary' | 'production'

/** Where a sampled manifest came from; everything optional because a JSONL source may know nothing. */
export interface ManifestOrigin {
  namespace?: string
  repository?: string
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

/**
 * Why a request did not give us a usable answer. `null` status means no HTTP response.
 * - timeout, connection, truncated (body cut or unparseable JSON), not_json (HTML, text),
 * - unauthorized (401, empty body per Clair), rate_limited (429 after retries),
 * - not_ready (202 from the matcher after retries), not_found (Clair's JSON 404: no report, or, for GET
 *   index_report, a failed database query: Clair checks `ok` before `err`), no_route (Go's plain-text 404 page: no
 *   such route on that server, a setup error),
 * - index_error (500 or 200 with state IndexError), http_4xx, http_5xx (anything else),
 * - too_large (body over the response size limit), contract (answer breaks Quay's schema),
 * - not_report (a 200 whose body is not the report asked for: `{}`, another shape, another manifest's hash),
 * - cancelled (the run was cancelled, SIGINT/SIGTERM, before an answer arrived: no evidence either way).
 */
export type ErrorClass =
  | 'timeout'
  | 'connection'
  | 'truncated'
  | 'not_json'
  | 'unauthorized'
  | 'rate_limited'
  | 'not_ready'
  | 'not_found'
  | 'no_route'
  | 'index_error'
  | 'http_4xx'
  | 'http_5xx'
  | 'too_large'
  | 'contract'
  | 'not_report'
  | 'cancelled'

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
  differences: Difference[]
}

export type Decision = 'pass' | 'fail' | 'inconclusive'
export type Verdict = Decision

export interface Gate {
  name: string
  value: number | string | null
  threshold: string
  decision: Decision
  /** One line saying why, with the numbers that decided. */
  detail: string
}

export interface Counts {
  manifests: number
  compared: number
  different: number
  errors: number
  [name: string]: number
}

/** result.json */
export interface Result {
  schema: 'clair-canary/result/v1'
  verdict: Verdict
  /** The reasons for the verdict, most important first, one line each. */
  reasons: string[]
  gates: Gate[]
  counts: Counts
  aggregates?: unknown
  [field: string]: unknown
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
