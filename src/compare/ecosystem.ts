// Package ecosystems (dpkg, rpm, apk, python, go, java, npm, ruby, rhcc).
import { text } from './values.ts'
import type { Environment, Package, Repository } from '../clair/types.ts'

/** package_db patterns, tried first: a match holds for every package in that db. */
export const DB_PREFIXES: Array<[RegExp, string]> = [
  [/^(?:bdb|sqlite|ndb|rpm):|(?:^|\/)var\/lib\/rpm\b|(?:^|\/)usr\/lib\/sysimage\/rpm\b/, 'rpm'],
  [/(?:^|\/)var\/lib\/dpkg\b|^dpkg:/, 'dpkg'],
  [/(?:^|\/)lib\/apk\/db\b|^apk:/, 'apk'],
  [/^python:|(?:site|dist)-packages\b/, 'python'],
  [/^go:/, 'go'],
  [/^(?:maven|jar|java):|\.(?:jar|war|ear)$/, 'java'],
  [/^(?:nodejs|npm):|(?:^|\/)node_modules\//, 'npm'],
  [/^(?:ruby|gem):|(?:^|\/)specifications\/[^/]*\.gemspec$/, 'ruby'],
  [/^root\/buildinfo\//, 'rhcc'],
]

const REPOSITORY_ECOSYSTEMS: Record<string, string> = {
  pypi: 'python',
  go: 'go',
  maven: 'java',
  npm: 'npm',
  rubygems: 'ruby',
  'Red Hat Container Catalog': 'rhcc',
  'rhcc-container-repository': 'rhcc',
  'rhel-cpe-repository': 'rpm',
}

const NORMALIZED_VERSION_ECOSYSTEMS: Record<string, string> = {
  pep440: 'python',
  rhctag: 'rhcc',
  maven: 'java',
}

/**
 * The package ecosystem (dpkg, rpm, apk, python, go, java, npm, ruby, rhcc), from the environment's
 * package_db first, then the repositories, then the normalized version kind; "other" when nothing says.
 */
export function ecosystemOf(
  pkg: Pick<Package, 'normalized_version'>,
  environment?: Pick<Environment, 'package_db'> | null,
  repositories?: Array<Pick<Repository, 'name' | 'key'> | undefined>,
): string {
  const db = environment?.package_db
  if (db) for (const [re, eco] of DB_PREFIXES) if (re.test(db)) return eco
  for (const repo of repositories ?? []) {
    if (!repo) continue
    const eco =
      (repo.key && REPOSITORY_ECOSYSTEMS[repo.key]) || (repo.name && REPOSITORY_ECOSYSTEMS[repo.name])
    if (eco) return eco
  }
  const nv = text(pkg.normalized_version)
  const kind = nv.slice(0, nv.indexOf(':'))
  return NORMALIZED_VERSION_ECOSYSTEMS[kind] ?? 'other'
}
