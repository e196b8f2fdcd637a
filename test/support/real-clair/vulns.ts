// Vulnerability data for real Clair, offline: claircore's update-operation file (JSON lines, libvuln/jsonblob:
// one line per vulnerability, {Updater, Fingerprint, Date, Ref, Kind, Vuln}), loaded with `clairctl
// import-updaters`. The vulnerabilities are written for what real Clair found in the test images (its index
// reports), so each ecosystem's matcher really matches: the distribution fields the Debian and Alpine matchers
// query, the repository names the Python, Go and Java matchers query, and a range for Go, whose matcher
// leaves the decision to a database range that clairctl cannot import (see below).
import { createHash } from 'node:crypto'
import type { Distribution, IndexReport, Package, Repository } from '../../../src/clair/types.ts'

interface Candidate {
  updater: string
  pkg: Package
  dist?: Distribution
  repo?: Repository
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A version above any installed one, in the package's own version scheme. */
function fixedAbove(updater: string): string {
  if (updater.startsWith('debian')) return '99:0'
  if (updater.startsWith('alpine')) return '999.0-r0'
  return '999.0'
}

/** The updater whose data would cover this package in this environment, as claircore names them. */
function updaterOf(dist: Distribution | undefined, repos: Repository[]): string | undefined {
  for (const repo of repos) {
    if (repo.name === 'pypi') return 'osv/pypi'
    if (repo.name === 'go') return 'osv/go'
    if (repo.name === 'maven') return 'osv/maven'
  }
  if (dist?.did === 'debian') return `debian/updater/${dist.version_code_name ?? ''}`
  if (dist?.did === 'alpine') return `alpine-main-v${dist.version ?? ''}-updater`
  return undefined
}

function strip<T extends { id?: string }>(value: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = value
  return rest
}

function candidates(reports: readonly IndexReport[]): Candidate[] {
  const seen = new Map<string, Candidate>()
  for (const report of reports) {
    for (const [pkgId, envs] of Object.entries(report.environments ?? {})) {
      const pkg = report.packages?.[pkgId]
      if (!pkg) continue
      for (const env of envs) {
        const dist = env.distribution_id ? report.distributions?.[env.distribution_id] : undefined
        const repos = (env.repository_ids ?? []).flatMap((id): Repository[] => {
          const repo = report.repository?.[id]
          return repo ? [repo] : []
        })
        const updater = updaterOf(dist, repos)
        if (!updater) continue
        const repo = repos.find((r) => ['pypi', 'go', 'maven'].includes(r.name ?? ''))
        const key = `${updater}\0${pkg.name}\0${pkg.version}`
        if (!seen.has(key))
          seen.set(key, { updater, pkg, ...(repo ? { repo } : {}), ...(dist && !repo ? { dist } : {}) })
      }
    }
  }
  return [...seen.values()].sort((a, b) =>
    `${a.updater}\0${a.pkg.name}\0${a.pkg.version}`.localeCompare(
      `${b.updater}\0${b.pkg.name}\0${b.pkg.version}`,
    ),
  )
}

export interface UpdateFileOptions {
  /** Updaters whose data is changed (another fingerprint, other vulnerabilities): the drift side. */
  drift?: readonly string[]
}

/**
 * One update operation per updater, vulnerable packages chosen by a hash of name and version (about half),
 * with the same result on every run. Drifted updaters get another fingerprint and every package vulnerable.
 */
export function updateOperationsFile(
  reports: readonly IndexReport[],
  options: UpdateFileOptions = {},
): string {
  const drift = new Set(options.drift ?? [])
  const lines: string[] = []
  const date = '2025-06-01T00:00:00Z'
  for (const c of candidates(reports)) {
    const drifted = drift.has(c.updater)
    const h = hash(`${c.pkg.name}@${c.pkg.version}`)
    if (!drifted && parseInt(h.slice(0, 2), 16) % 2 === 1) continue
    const fingerprint = hash(`${c.updater}:${drifted ? 'drift' : 'base'}`).slice(0, 32)
    // One Ref per update operation: the importer groups consecutive lines with the same Ref into one.
    const r = hash(`${c.updater}:${drifted ? 'drift' : 'base'}:ref`)
    const ref = `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(13, 16)}-8${r.slice(17, 20)}-${r.slice(20, 32)}`
    const name = `CLAIR-CANARY-${h.slice(0, 8).toUpperCase()}`
    const vuln: Record<string, unknown> = {
      updater: c.updater,
      name,
      description: `${c.pkg.name} ${c.pkg.version} is affected (clair-canary test data)`,
      issued: '2025-01-01T00:00:00Z',
      links: `https://example.com/advisories/${name}`,
      severity: drifted ? 'Critical' : 'Medium',
      normalized_severity: drifted ? 'Critical' : 'Medium',
      package: { name: c.pkg.name, kind: 'binary' },
      ...(c.dist ? { distribution: strip(c.dist) } : {}),
      ...(c.repo ? { repository: strip(c.repo) } : {}),
      fixed_in_version: fixedAbove(c.updater),
    }
    // No range for Go, whose matcher leaves the decision to the database range: clairctl import-updaters cannot
    // write one (its pool has no VersionRange type registered: "unable to encode &claircore.Range"), so Go
    // vulnerabilities are imported but match nothing, as with any offline import.
    lines.push(
      JSON.stringify({
        Updater: c.updater,
        Fingerprint: fingerprint,
        Date: date,
        Ref: ref,
        Kind: 'vulnerability',
        Vuln: vuln,
      }),
    )
  }
  return lines.join('\n') + '\n'
}
