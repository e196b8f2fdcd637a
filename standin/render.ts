// Turning content into Clair's wire shapes: database ids assigned per instance (so two instances
// disagree on ids for the same content), set-like lists and JSON object keys in random order.
import type {
  Distribution,
  Environment,
  IndexReport,
  Package,
  Repository,
  Vulnerability,
  VulnerabilityReport,
} from '../src/clair/types.ts'
import { hashFraction, type Rng } from './rng.ts'
import type { DistributionContent, IndexContent, PackageContent, RepositoryContent } from './scanners.ts'
import { CVSS_ENRICHMENT_TYPE, matchManifest, type VulnDb, type VulnRecord } from './vulndb.ts'

/** Row ids of one table: content key -> id, starting at a random offset with random gaps. */
export interface IdTable {
  id(key: string): string
}

export function idTable(rng: Rng): IdTable {
  const ids = new Map<string, string>()
  let next = rng.int(1, 90000)
  return {
    id(key) {
      let id = ids.get(key)
      if (id === undefined) {
        next += rng.int(1, 5)
        id = String(next)
        ids.set(key, id)
      }
      return id
    },
  }
}

export interface Tables {
  packages: IdTable
  distributions: IdTable
  repositories: IdTable
  vulnerabilities: IdTable
}

/** A stored index: what the indexer's database holds for one manifest. */
export interface StoredIndex {
  digest: string
  state: 'IndexFinished' | 'IndexError'
  err: string
  content: IndexContent
  layers: string[]
}

export interface RenderOptions {
  tables: Tables
  rng: Rng
  /** Fraction of packages whose arch / normalized_version flips between reads (noise). */
  flipFraction?: number
  /**
   * The claircore release whose JSON is rendered: v1.5.48 (Clair v4.9.0) has no package `detector`; v1.5.52 (Clair
   * main) adds it (since v1.5.49), and the vulnerability fields Self and Aliases (no JSON tags, so Go's names;
   * claircore vulnerability.go). Default v1.5.52.
   */
  claircore?: 'v1.5.48' | 'v1.5.52'
}

const newer = (opts: RenderOptions): boolean => opts.claircore !== 'v1.5.48'

function distribution(tables: Tables, d: DistributionContent): Distribution {
  return { id: tables.distributions.id(JSON.stringify(d)), ...d }
}

function repository(tables: Tables, r: RepositoryContent): Repository {
  return { id: tables.repositories.id(JSON.stringify(r)), ...r }
}

function packageOf(opts: RenderOptions, p: PackageContent): Package {
  const { tables } = opts
  const source = p.source ?? { name: '', version: '' }
  const sourceKey = JSON.stringify(['source', source.name, source.version])
  const out: Package = {
    id: tables.packages.id(JSON.stringify([p.name, p.version, p.arch ?? '', p.normalized_version, source])),
    name: p.name,
    version: p.version,
    kind: 'binary',
    source: source.name
      ? {
          id: tables.packages.id(sourceKey),
          name: source.name,
          version: source.version,
          kind: 'source',
          normalized_version: '',
          cpe: '',
        }
      : { id: tables.packages.id(sourceKey), name: '', version: '', normalized_version: '', cpe: '' },
    normalized_version: p.normalized_version,
    ...(p.arch ? { arch: p.arch } : {}),
    cpe: '',
    ...(newer(opts) ? { detector: p.detector } : {}),
  }
  if (
    opts.flipFraction &&
    hashFraction('flip', p.name, p.version) < opts.flipFraction &&
    opts.rng.chance(0.5)
  ) {
    if (out.arch) out.arch = ''
    else out.normalized_version = ''
  }
  return out
}

function indexMaps(opts: RenderOptions, content: IndexContent) {
  const { tables, rng } = opts
  const packages: Record<string, Package> = {}
  const distributions: Record<string, Distribution> = {}
  const repositories: Record<string, Repository> = {}
  const environments: Record<string, Environment[]> = {}
  const packageIds: string[] = []
  for (const d of content.distributions) {
    const rendered = distribution(tables, d)
    distributions[rendered.id as string] = rendered
  }
  for (const r of content.repositories) {
    const rendered = repository(tables, r)
    repositories[rendered.id as string] = rendered
  }
  for (const p of content.packages) {
    const rendered = packageOf(opts, p)
    const id = rendered.id as string
    packageIds.push(id)
    packages[id] = rendered
    const envs = p.environments.map((e) => ({
      package_db: e.package_db,
      introduced_in: e.introduced_in,
      distribution_id: e.distribution ? (distribution(tables, e.distribution).id as string) : '',
      repository_ids: e.repositories.length
        ? rng.shuffle(e.repositories.map((r) => repository(tables, r).id as string))
        : null,
    }))
    environments[id] = rng.shuffle([...(environments[id] ?? []), ...envs])
  }
  return { packages, distributions, repositories, environments, packageIds }
}

export function renderIndexReport(opts: RenderOptions, stored: StoredIndex): IndexReport {
  const maps = indexMaps(opts, stored.content)
  return {
    manifest_hash: stored.digest,
    state: stored.state,
    packages: maps.packages,
    distributions: maps.distributions,
    repository: maps.repositories,
    environments: maps.environments,
    success: stored.state === 'IndexFinished',
    err: stored.err,
  }
}

function vulnerability(opts: RenderOptions, v: VulnRecord): Vulnerability {
  const out: Vulnerability = {
    id: opts.tables.vulnerabilities.id(v.key),
    updater: v.updater,
    name: v.name,
    description: v.description,
    issued: v.issued,
    links: v.links,
    severity: v.severity,
    normalized_severity: v.normalized_severity,
    // claircore encodes a package's normalized_version and cpe even when empty (checked against Clair v4.9.0).
    package: { id: '', normalized_version: '', cpe: '', ...v.package },
    distribution: v.distribution
      ? { id: '', ...v.distribution }
      : {
          id: '',
          did: '',
          name: '',
          version: '',
          version_code_name: '',
          version_id: '',
          arch: '',
          cpe: '',
          pretty_name: '',
        },
    fixed_in_version: v.fixed_in_version,
  }
  // Clair v4.9.0 always sends a repository, {"cpe": ""} when the vulnerability names none.
  out.repository = v.repository ? { ...v.repository, cpe: v.repository.cpe ?? '' } : { cpe: '' }
  if (v.arch_op) out.arch_op = v.arch_op
  // An Alias is {space, name}; a nil slice encodes as null.
  if (newer(opts)) Object.assign(out, { Self: { space: '', name: '' }, Aliases: null })
  return out
}

export function renderVulnerabilityReport(
  opts: RenderOptions,
  stored: StoredIndex,
  db: VulnDb,
): VulnerabilityReport {
  const maps = indexMaps(opts, stored.content)
  const vulnerabilities: Record<string, Vulnerability> = {}
  const packageVulnerabilities: Record<string, string[]> = {}
  const cvss: Record<string, unknown[]> = {}
  for (const { pkg, vulns } of matchManifest(db, stored.content)) {
    const ids: string[] = []
    for (const v of vulns) {
      const rendered = vulnerability(opts, v)
      const id = rendered.id as string
      vulnerabilities[id] = rendered
      ids.push(id)
      if (v.cvss) cvss[id] = [v.cvss]
    }
    // Concurrent matchers append in no particular order.
    packageVulnerabilities[maps.packageIds[pkg] as string] = opts.rng.shuffle(ids)
  }
  return {
    manifest_hash: stored.digest,
    packages: maps.packages,
    distributions: maps.distributions,
    repository: maps.repositories,
    environments: maps.environments,
    vulnerabilities,
    package_vulnerabilities: packageVulnerabilities,
    enrichments: Object.keys(cvss).length ? { [CVSS_ENRICHMENT_TYPE]: [cvss] } : {},
  }
}

/**
 * JSON with every object's keys in random order, as Clair's encoder gives map keys. A custom
 * writer because JavaScript objects always order integer-like keys (our ids) ascending.
 */
export function shuffledJson(value: unknown, rng: Rng): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : shuffledJson(v, rng))).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = rng.shuffle(Object.keys(record).filter((k) => record[k] !== undefined))
  return `{${keys.map((k) => `${JSON.stringify(k)}:${shuffledJson(record[k], rng)}`).join(',')}}`
}
