// What the pipeline needs from a Clair deployment. ClairClient (./client.ts) implements it over HTTP;
// unit tests implement it in memory.
import type { ErrorClass } from './types.ts'
import type { IndexReport, IndexStateBody, Manifest, UpdateOperations, VulnerabilityReport } from './types.ts'

export interface ClairResponse<T> {
  /** HTTP status of the final attempt; null when no response arrived (timeout, connection, ...). */
  status: number | null
  /** Parsed body when the request succeeded (and for 500 on POST index_report: the stored error body). */
  body?: T
  /**
   * The JSON text the body was parsed from, as it arrived (a report answer): stores write these bytes rather
   * than serialise the body again.
   */
  text?: string
  /** ETag without quotes (the index state on indexer routes). */
  etag?: string
  /** Milliseconds from the first attempt's start to the final attempt's end (retries included). */
  latencyMs: number
  /** Milliseconds of the final attempt alone: what the server took, without our retries and backoff. */
  attemptMs?: number
  attempts: number
  /** Set when the answer is not usable; see ErrorClass in ./types.ts. */
  error?: ErrorClass
  /** Secret-free, one line (URLs lose their query strings). */
  message?: string
  /** Body bytes received. */
  bytes: number
}

export interface ClairApi {
  readonly side: 'canary' | 'production'
  /** True for production: index() and deleteIndexReport() throw instead of sending. */
  readonly readOnly: boolean
  /** True when every attempt, retries included, already waits for a rate limiter (production's). */
  readonly paced?: boolean
  indexState(): Promise<ClairResponse<IndexStateBody>>
  /** POST index_report; `resign` gives the manifest with fresh layer URLs for each retry. */
  index(manifest: Manifest, resign?: () => Promise<Manifest>): Promise<ClairResponse<IndexReport>>
  indexReport(digest: string): Promise<ClairResponse<IndexReport>>
  deleteIndexReport(digest: string): Promise<ClairResponse<null>>
  vulnerabilityReport(digest: string): Promise<ClairResponse<VulnerabilityReport>>
  updateOperations(kind: 'vulnerability' | 'enrichment'): Promise<ClairResponse<UpdateOperations>>
  /** GET <introspection>/readyz; error 'connection' when no introspection URL is configured. */
  readyz(): Promise<ClairResponse<null>>
  /** GET <introspection>/metrics as Prometheus text. */
  metrics(): Promise<ClairResponse<string>>
  close(): Promise<void>
}
