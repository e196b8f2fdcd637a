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

/**
 * Collects the unknown field names of objects of one kind. Objects of a kind mostly have the same keys in the
 * same order, so each key is first compared with the key the previous object had at its place; a Set is
 * only asked about a key not seen there.
 */
class FieldScanner {
  private readonly known: Set<string>
  private readonly unknown: Set<string>
  /** Keys already looked up, by their place in an object. */
  private readonly seen: string[] = []

  constructor(owner: FieldOwner, into: FieldNames) {
    this.known = KNOWN[owner]
    this.unknown = into[owner]
  }

  scan(o: unknown): void {
    if (!o || typeof o !== 'object') return
    const seen = this.seen
    let i = 0
    for (const k in o) {
      if (seen[i] !== k) {
        if (!this.known.has(k)) this.unknown.add(k)
        seen[i] = k
      }
      i++
    }
  }
}

/** Collects the unknown field names in a report (new Clair versions add fields, e.g. Aliases, detector once). */
export function scanFields(
  report: IndexReport | VulnerabilityReport | undefined,
  into: FieldNames = emptyFieldNames(),
): FieldNames {
  if (!report) return into
  const scanner = (owner: FieldOwner) => new FieldScanner(owner, into)
  // Object.values: the row ids themselves are not needed, and looking each up again costs more.
  const all = <T>(map: Record<string, T> | null | undefined): T[] =>
    map && typeof map === 'object' ? Object.values(map) : []
  scanner('report').scan(report)
  const packages = scanner('package')
  for (const p of all(report.packages)) packages.scan(p)
  const distributions = scanner('distribution')
  for (const d of all(report.distributions)) distributions.scan(d)
  const repositories = scanner('repository')
  for (const r of all(report.repository)) repositories.scan(r)
  const environments = scanner('environment')
  for (const list of all(report.environments)) for (const env of list ?? []) environments.scan(env)
  const vulns = (report as VulnerabilityReport).vulnerabilities
  if (vulns) {
    const vulnerabilities = scanner('vulnerability')
    for (const v of all(vulns)) vulnerabilities.scan(v)
  }
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
