// Unknown fields: those a newer Clair adds to its reports (e.g. Aliases, detector once).
import type { IndexReport, VulnerabilityReport } from '../clair/types.ts'
import { DISTRIBUTION_FIELDS, REPOSITORY_FIELDS } from '../clair/types.ts'

/** Object kinds whose unknown fields we track. */
export type FieldOwner =
  'report' | 'package' | 'distribution' | 'repository' | 'environment' | 'vulnerability'

const KNOWN: Record<FieldOwner, Set<string>> = {
  report: new Set([
    'manifest_hash',
    'state',
    'packages',
    'distributions',
    'repository',
    'environments',
    'success',
    'err',
    'vulnerabilities',
    'package_vulnerabilities',
    'enrichments',
  ]),
  package: new Set([
    'id',
    'name',
    'version',
    'kind',
    'source',
    'normalized_version',
    'module',
    'arch',
    'cpe',
    'detector',
  ]),
  distribution: new Set(['id', ...DISTRIBUTION_FIELDS]),
  repository: new Set(['id', ...REPOSITORY_FIELDS]),
  environment: new Set(['package_db', 'introduced_in', 'distribution_id', 'repository_ids']),
  vulnerability: new Set([
    'id',
    'updater',
    'name',
    'description',
    'issued',
    'links',
    'severity',
    'normalized_severity',
    'package',
    'distribution',
    'repository',
    'fixed_in_version',
    'range',
    'arch_op',
  ]),
}

/** Unknown field names per object kind, e.g. vulnerability -> {Aliases}. */
export type FieldNames = Record<FieldOwner, Set<string>>

/** Unknown fields that both sides carry and so are compared; anything else unknown is ignored. */
export type ExtraFields = Record<FieldOwner, string[]>

export const NO_EXTRAS: ExtraFields = {
  report: [],
  package: [],
  distribution: [],
  repository: [],
  environment: [],
  vulnerability: [],
}

export function emptyFieldNames(): FieldNames {
  return {
    report: new Set(),
    package: new Set(),
    distribution: new Set(),
    repository: new Set(),
    environment: new Set(),
    vulnerability: new Set(),
  }
}

function scanObject(o: unknown, owner: FieldOwner, into: FieldNames): void {
  if (!o || typeof o !== 'object') return
  const known = KNOWN[owner]
  for (const k in o) if (!known.has(k)) into[owner].add(k)
}

/** Collects the unknown field names in a report (new Clair versions add fields, e.g. Aliases, detector once). */
export function scanFields(
  report: IndexReport | VulnerabilityReport | undefined,
  into: FieldNames = emptyFieldNames(),
): FieldNames {
  if (!report) return into
  scanObject(report, 'report', into)
  for (const id in report.packages ?? {}) scanObject(report.packages?.[id], 'package', into)
  for (const id in report.distributions ?? {}) scanObject(report.distributions?.[id], 'distribution', into)
  for (const id in report.repository ?? {}) scanObject(report.repository?.[id], 'repository', into)
  for (const id in report.environments ?? {}) {
    for (const env of report.environments?.[id] ?? []) scanObject(env, 'environment', into)
  }
  const vulns = (report as VulnerabilityReport).vulnerabilities
  if (vulns) for (const id in vulns) scanObject(vulns[id], 'vulnerability', into)
  return into
}

/**
 * Unknown fields compared between two sides: only those both sides have. Top-level report fields are
 * never compared (new ones such as PackageNotVulnerable are keyed by row ids); they are only reported.
 */
export function sharedExtras(a: FieldNames, b: FieldNames): ExtraFields {
  const both = (owner: FieldOwner): string[] => [...a[owner]].filter((f) => b[owner].has(f)).sort()
  return {
    report: [],
    package: both('package'),
    distribution: both('distribution'),
    repository: both('repository'),
    environment: both('environment'),
    vulnerability: both('vulnerability'),
  }
}

/** "vulnerability.Aliases"-style names of every unknown field seen, sorted. */
export function newFieldNames(...sets: FieldNames[]): string[] {
  const out = new Set<string>()
  for (const s of sets)
    for (const owner of Object.keys(s) as FieldOwner[]) for (const f of s[owner]) out.add(`${owner}.${f}`)
  return [...out].sort()
}
