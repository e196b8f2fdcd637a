// File names inside a run directory and a report store (../shared/DESIGN.md, "The run directory").
import { join } from 'node:path'

export const RUN_FILES = {
  run: 'run.json',
  sample: 'sample.jsonl',
  records: 'records.jsonl',
  diffs: 'diffs.jsonl',
  result: 'result.json',
  stats: 'stats.json',
  summary: 'summary.md',
  html: 'report.html',
  /** The run's figures as OpenMetrics text, for Prometheus and Grafana. */
  metrics: 'metrics.txt',
  /** The run's compact history record (src/history/record.ts), read by later runs. */
  history: 'history.json',
} as const

export const STORE_FILES = {
  indexState: 'index_state.json',
  updateOperations: 'update_operations.json',
  enrichmentUpdateOperations: 'enrichment_update_operations.json',
} as const

const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-f0-9]{32,})$/

/** "sha256:ab…" -> "sha256-ab…": artifact names reject ':'. */
export function digestFileStem(digest: string): string {
  const m = DIGEST.exec(digest)
  if (!m) throw new Error(`not a digest: ${JSON.stringify(digest)}`)
  return `${m[1]}-${m[2]}`
}

/** The inverse of digestFileStem for a store file name, or null if the name is not a report. */
export function parseReportFileName(
  name: string,
): { digest: string; report: 'index' | 'vulnerability' } | null {
  const m = /^([a-z0-9]+)-([a-f0-9]{32,})\.(index|vuln)\.json$/.exec(name)
  if (!m) return null
  return { digest: `${m[1]}:${m[2]}`, report: m[3] === 'index' ? 'index' : 'vulnerability' }
}

export function indexReportFile(store: string, digest: string): string {
  return join(store, `${digestFileStem(digest)}.index.json`)
}

export function vulnerabilityReportFile(store: string, digest: string): string {
  return join(store, `${digestFileStem(digest)}.vuln.json`)
}

/** The report stores of a run directory (reports/<name>): each side's reports, and the re-reads that measure noise. */
export const REPORT_STORES = ['production', 'canary', 'production-reread', 'canary-reread'] as const

export type ReportStoreName = (typeof REPORT_STORES)[number]

/** The folder holding a run directory's report stores. */
export function reportsDir(runDir: string): string {
  return join(runDir, 'reports')
}

export function storeDir(runDir: string, store: ReportStoreName): string {
  return join(reportsDir(runDir), store)
}
