// Clair v4 wire shapes, as claircore v1.5.x encodes them (../shared/clair/FACTS.md section 2).
// Every map key and every `id` is a database row id: volatile between deployments.

/** The two Clairs a run talks to. */
export type Side = 'canary' | 'production'

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

export interface ManifestLayer {
  hash: string
  uri: string
  headers?: Record<string, string[]>
  media_type?: string
}

/** The body of POST /indexer/api/v1/index_report. */
export interface Manifest {
  hash: string
  layers: ManifestLayer[]
}

export interface Package {
  id?: string
  name: string
  version: string
  kind?: string
  source?: Package | null
  normalized_version?: string
  module?: string
  arch?: string
  cpe?: string
  detector?: string | null
  [field: string]: unknown
}

/**
 * A distribution's content fields, in the one order every identity tuple and content key lists them (the
 * compare's keys and interned tuples, the contract's schema). `id` is a database row id, never content.
 */
export const DISTRIBUTION_FIELDS = [
  'did',
  'name',
  'version',
  'version_code_name',
  'version_id',
  'arch',
  'cpe',
  'pretty_name',
] as const

/** A repository's content fields, in the one order its identity tuple lists them. */
export const REPOSITORY_FIELDS = ['name', 'key', 'uri', 'cpe'] as const

export interface Distribution {
  id?: string
  did?: string
  name?: string
  version?: string
  version_code_name?: string
  version_id?: string
  arch?: string
  cpe?: string
  pretty_name?: string
  [field: string]: unknown
}

export interface Repository {
  id?: string
  name?: string
  key?: string
  uri?: string
  cpe?: string
  [field: string]: unknown
}

export interface Environment {
  package_db: string
  introduced_in: string
  distribution_id: string
  repository_ids?: string[] | null
  [field: string]: unknown
}

export type IndexState =
  | 'Terminal'
  | 'CheckManifest'
  | 'FetchLayers'
  | 'ScanLayers'
  | 'Coalesce'
  | 'IndexManifest'
  | 'IndexError'
  | 'IndexFinished'

export interface IndexReport {
  manifest_hash: string
  /** An IndexState; kept a string so a state a newer Clair adds still reads. */
  state: string
  packages?: Record<string, Package> | null
  distributions?: Record<string, Distribution> | null
  repository?: Record<string, Repository> | null
  environments?: Record<string, Environment[]> | null
  success: boolean
  err?: string
  [field: string]: unknown
}

export interface Vulnerability {
  id?: string
  updater: string
  name: string
  description?: string
  issued?: string
  links?: string
  severity?: string
  normalized_severity?: string
  package?: Package | null
  distribution?: Distribution | null
  repository?: Repository | null
  fixed_in_version?: string
  range?: Record<string, string> | null
  arch_op?: string
  [field: string]: unknown
}

export interface VulnerabilityReport {
  manifest_hash: string
  packages?: Record<string, Package> | null
  distributions?: Record<string, Distribution> | null
  repository?: Record<string, Repository> | null
  environments?: Record<string, Environment[]> | null
  vulnerabilities?: Record<string, Vulnerability> | null
  package_vulnerabilities?: Record<string, string[]> | null
  enrichments?: Record<string, unknown[]> | null
  [field: string]: unknown
}

/** One element of GET /matcher/api/v1/internal/update_operation. */
export interface UpdateOperation {
  ref: string
  updater: string
  fingerprint: string
  date: string
  /** 'vulnerability' or 'enrichment' today; a string so another kind still reads. */
  kind: string
}

/** Body of GET /matcher/api/v1/internal/update_operation: updater name -> operations, newest first. */
export type UpdateOperations = Record<string, UpdateOperation[]>

/** Body of GET /indexer/api/v1/index_state. */
export interface IndexStateBody {
  state: string
}

/** Clair's error body (httptransport/error.go). */
export interface ClairErrorBody {
  code?: string
  message: string
}
