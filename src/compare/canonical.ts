// Canonical form of Clair reports: everything keyed by content, never by database row id.
//
// Every map key and `id` in a report is a row id of the deployment that produced it (FACTS.md 2.4), so two
// Clairs with identical content disagree on all of them. Here each package, distribution, repository,
// environment and vulnerability gets a content key instead, and everything whose presence depends on the
// Clair version (missing, "", null, [], {}) collapses to "". Keys join fields with \x1f, which no Clair field
// contains, so "aarch64|x86_64" in an arch can't collide with the separator.
import type {
  Distribution,
  Environment,
  IndexReport,
  Package,
  Repository,
  Vulnerability,
  VulnerabilityReport,
} from '../clair/types.ts'
import type { Interner } from './intern.ts'

const SEP = '\x1f'

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
  distribution: new Set([
    'id',
    'did',
    'name',
    'version',
    'version_code_name',
    'version_id',
    'arch',
    'cpe',
    'pretty_name',
  ]),
  repository: new Set(['id', 'name', 'key', 'uri', 'cpe']),
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

export interface CanonicalOptions {
  /** Leave `detector` out of package comparison (it changes with every scanner version). */
  ignoreDetector: boolean
  /** Unknown fields to compare (both sides have them); from sharedExtras(). */
  extras?: ExtraFields
}

const NO_EXTRAS: ExtraFields = {
  report: [],
  package: [],
  distribution: [],
  repository: [],
  environment: [],
  vulnerability: [],
}

// ---------------------------------------------------------------------------------------------------------
// Values

/**
 * Flattens a string built by concatenation. V8 keeps `a + b + …` as a rope; a rope used as a Map key is
 * compared piece by piece on every lookup. ToNumber flattens it in place (the trick of the flatstr package).
 */
export function flat(s: string): string {
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions
  ;(s as unknown as number) | 0
  return s
}

/** True for everything a Clair version may emit instead of "nothing": missing, "", null, [], {}. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') {
    for (const _ in v) return false
    return true
  }
  return false
}

/**
 * JSON with object keys sorted, empty members dropped and arrays treated as sets (sorted), so that two
 * encodings of the same content give the same string. Used for fields we know nothing about.
 */
export function stableJson(v: unknown): string {
  if (v === undefined || v === null) return 'null'
  if (typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) {
    const items: string[] = []
    for (const item of v) if (!isEmpty(item)) items.push(stableJson(item))
    items.sort()
    return `[${items.join(',')}]`
  }
  const o = v as Record<string, unknown>
  const keys = Object.keys(o).sort()
  let out = ''
  for (const k of keys) {
    const item = o[k]
    if (isEmpty(item)) continue
    out += `${out ? ',' : ''}${JSON.stringify(k)}:${stableJson(item)}`
  }
  return `{${out}}`
}

/** A scalar field as a string; every empty form is "". */
export function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return ''
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return isEmpty(v) ? '' : stableJson(v)
}

const ZERO_YEAR = /^[+-]?(\d+)-/

/**
 * `issued` as an instant in UTC, or "" for Go's zero time: it renders in the server's zone, so
 * 0001-01-01T00:00:00Z and 0000-12-31T18:09:24-05:50 are both "no date".
 */
export function normaliseIssued(v: unknown): string {
  const t = text(v)
  if (t === '') return ''
  const m = ZERO_YEAR.exec(t)
  if (m && (t.startsWith('-') || Number(m[1]) <= 1)) return ''
  const ms = Date.parse(t)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : t
}

// The query ends where the URL does; punctuation right after it ("…?sig=x: 403") is the message's.
const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*?(?=[:;,.)]*(?:[\s#"'<>]|$))/gi

/** Error text without URL query strings: layer URLs carry signatures and expiry times that change per request. */
export function normaliseErr(v: unknown): string {
  return text(v).replace(URL_QUERY, '$1')
}

/** Space-separated links compared as a set. */
export function normaliseLinks(v: unknown): string {
  const t = text(v).trim()
  if (!t.includes(' ')) return t
  return t.split(/\s+/).sort().join(' ')
}

/** `enricher=<name>` from an enrichment type; the schema URL part changed in claircore v1.5.40. */
export function enricherOf(type: string): string {
  const m = /(?:^|[;\s])enricher=([^\s;]+)/.exec(type)
  return m?.[1] ?? type
}

function extrasKey(o: Record<string, unknown>, fields: string[]): string {
  if (fields.length === 0) return ''
  let out = ''
  for (const f of fields) out += SEP + text(o[f])
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Unknown fields

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

// ---------------------------------------------------------------------------------------------------------
// Ecosystems

const DB_PREFIXES: Array<[RegExp, string]> = [
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

// ---------------------------------------------------------------------------------------------------------
// Distributions and repositories

/** All content fields of a distribution; "" when every one is empty (Clair's way of saying "none"). */
export function distributionKey(d: Distribution | null | undefined, extras: string[] = []): string {
  if (!d) return ''
  const key =
    text(d.did) +
    SEP +
    text(d.name) +
    SEP +
    text(d.version) +
    SEP +
    text(d.version_code_name) +
    SEP +
    text(d.version_id) +
    SEP +
    text(d.arch) +
    SEP +
    text(d.cpe) +
    SEP +
    text(d.pretty_name) +
    extrasKey(d, extras)
  return key.length === 7 + extras.length ? '' : key
}

/** All content fields of a repository; "" when every one is empty. */
export function repositoryKey(r: Repository | null | undefined, extras: string[] = []): string {
  if (!r) return ''
  const key = text(r.name) + SEP + text(r.key) + SEP + text(r.uri) + SEP + text(r.cpe) + extrasKey(r, extras)
  return key.length === 3 + extras.length ? '' : key
}

export interface CanonicalDistribution {
  /** All content fields. */
  key: string
  /** What makes it "the same distribution" when other fields change: did (or name), version_id (or version), arch. */
  identity: string
  label: string
  value: Record<string, string>
}

export function canonicalDistribution(d: Distribution, extras: string[] = []): CanonicalDistribution {
  const did = text(d.did)
  const name = text(d.name)
  const version = text(d.version)
  const versionId = text(d.version_id)
  const arch = text(d.arch)
  const pretty = text(d.pretty_name)
  const value = compact({
    did,
    name,
    version,
    version_code_name: text(d.version_code_name),
    version_id: versionId,
    arch,
    cpe: text(d.cpe),
    pretty_name: pretty,
  })
  const identity = (did || name) + SEP + (versionId || version) + SEP + arch
  const label = pretty || [did || name, versionId || version, arch].filter(Boolean).join(' ') || '(unnamed)'
  return { key: distributionKey(d, extras), identity, label, value }
}

export interface CanonicalRepository {
  key: string
  /** key + name: a repository whose uri or cpe changed is still the same repository. */
  identity: string
  label: string
  value: Record<string, string>
}

export function canonicalRepository(r: Repository, extras: string[] = []): CanonicalRepository {
  const name = text(r.name)
  const rkey = text(r.key)
  const uri = text(r.uri)
  const cpe = text(r.cpe)
  return {
    key: repositoryKey(r, extras),
    identity: rkey + SEP + name,
    label: rkey && rkey !== name ? `${name || '(unnamed)'} (${rkey})` : name || uri || '(unnamed)',
    value: compact({ name, key: rkey, uri, cpe }),
  }
}

function compact(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k in o) if (o[k]) out[k] = o[k] as string
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Packages

/** The content of a package, without its place (package_db) and without `detector`. */
export function packageContentKey(pkg: Package | null | undefined, extras: string[] = []): string {
  const p: Partial<Package> = pkg ?? {}
  const s = p.source
  return (
    text(p.name) +
    SEP +
    text(p.version) +
    SEP +
    text(p.kind) +
    SEP +
    text(p.arch) +
    SEP +
    text(p.module) +
    SEP +
    text(p.normalized_version) +
    SEP +
    text(p.cpe) +
    SEP +
    (s ? text(s.name) + SEP + text(s.version) + SEP + text(s.kind) : SEP + SEP) +
    extrasKey(p as Record<string, unknown>, extras)
  )
}

export interface CanonicalEnvironment {
  layer: string
  /** Identity of its distribution (so a distribution whose pretty_name changed doesn't move every package). */
  distribution: string
  /** Sorted identities of its repositories. */
  repositories: string
  key: string
  dist: CanonicalDistribution | undefined
  /** The environment pointed at a distribution id the report does not describe. */
  unknownDistribution: boolean
  repos: Array<CanonicalRepository | undefined>
}

/** A readable environment, for before/after. */
export function environmentValue(e: CanonicalEnvironment): Record<string, unknown> {
  const value: Record<string, unknown> = { introduced_in: e.layer }
  if (e.dist) value['distribution'] = e.dist.label
  else if (e.unknownDistribution) value['distribution'] = '(unknown id)'
  if (e.repos.length) value['repositories'] = e.repos.map((r) => r?.label ?? '(unknown id)').sort()
  return value
}

/**
 * One package in one place: the same content found in another package_db is another entry.
 * `key` is the full content plus package_db; `identity` is what stays when only the version changes.
 */
export interface PackageEntry {
  key: string
  /** Content without place: pairs a package that moved to another package_db. */
  content: string
  /** name, kind, arch, module and package_db: "the same package in the same place". */
  identity: string
  ecosystem: string
  packageDb: string
  detector: string
  /** The package as the report has it (labels and values are built from it only when a difference needs them). */
  pkg: Package
  /** Distinct environments (by key). */
  environments: CanonicalEnvironment[]
  label?: string
}

/** The content-keyed parts an index report and a vulnerability report share. */
export interface CanonicalIndex {
  distributions: Map<string, CanonicalDistribution>
  repositories: Map<string, CanonicalRepository>
  packages: Map<string, PackageEntry>
  /** Package row id -> keys of its entries (one per package_db). */
  packageIds: Map<string, string[]>
}

export function packageLabel(name: string, version: string, ecosystem: string, packageDb: string): string {
  const where = packageDb ? `${ecosystem}, ${packageDb}` : ecosystem
  return `${name || '(unnamed)'}${version ? ' ' + version : ''} (${where})`
}

/** "name version (ecosystem, package_db)", e.g. "openssl 1:1.1.1k-5.el8 (rpm, bdb:var/lib/rpm)". */
export function entryLabel(e: PackageEntry): string {
  return (e.label ??= packageLabel(text(e.pkg.name), text(e.pkg.version), e.ecosystem, e.packageDb))
}

/** The package's content as people read it, for before/after. */
export function entryValue(e: PackageEntry): Record<string, string> {
  const p = e.pkg
  const s = p.source
  const source = s ? [text(s.name), text(s.version)].filter(Boolean).join(' ') : ''
  return compact({
    name: text(p.name),
    version: text(p.version),
    kind: text(p.kind),
    arch: text(p.arch),
    module: text(p.module),
    normalized_version: text(p.normalized_version),
    cpe: text(p.cpe),
    source,
    package_db: e.packageDb,
  })
}

/** A list of row ids; anything else (null, "", {}) is no ids. */
function idList(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : []
}

const NO_ENVIRONMENT: Environment[] = [{ package_db: '', introduced_in: '', distribution_id: '' }]

/** Re-keys the packages, distributions, repositories and environments of a report by content. */
export function canonicalIndex(
  report: Pick<IndexReport, 'packages' | 'distributions' | 'repository' | 'environments'>,
  opts: CanonicalOptions,
): CanonicalIndex {
  const extras = opts.extras ?? NO_EXTRAS
  const distById = new Map<string, CanonicalDistribution>()
  const distributions = new Map<string, CanonicalDistribution>()
  for (const id in report.distributions ?? {}) {
    const d = report.distributions?.[id]
    if (!d) continue
    const c = canonicalDistribution(d, extras.distribution)
    distById.set(id, c)
    distributions.set(c.key, c)
  }
  const repoById = new Map<string, CanonicalRepository>()
  const repositories = new Map<string, CanonicalRepository>()
  for (const id in report.repository ?? {}) {
    const r = report.repository?.[id]
    if (!r) continue
    const c = canonicalRepository(r, extras.repository)
    repoById.set(id, c)
    repositories.set(c.key, c)
  }

  const packages = new Map<string, PackageEntry>()
  const packageIds = new Map<string, string[]>()
  const envs = report.environments ?? {}
  // Environments repeat (same layer, distribution, repositories for hundreds of packages): build each once.
  const envCache = new Map<string, CanonicalEnvironment>()
  const ecosystemByDb = new Map<string, string>()
  for (const id in report.packages ?? {}) {
    const p = report.packages?.[id]
    if (!p) continue
    const content = flat(packageContentKey(p, extras.package))
    const list = envs[id]
    let keys: string[] | undefined
    for (const env of list && list.length > 0 ? list : NO_ENVIRONMENT) {
      if (!env) continue
      const packageDb = text(env.package_db)
      const key = flat(content + SEP + packageDb)
      let entry = packages.get(key)
      if (!entry) {
        let ecosystem = ecosystemByDb.get(packageDb)
        if (ecosystem === undefined) {
          ecosystem = ecosystemOf(
            p,
            env,
            idList(env.repository_ids).map((r) => repoById.get(r)),
          )
          // Only a package_db match is the same for every package in that db.
          if (packageDb && DB_PREFIXES.some(([re]) => re.test(packageDb)))
            ecosystemByDb.set(packageDb, ecosystem)
        }
        entry = {
          key,
          content,
          identity:
            text(p.name) + SEP + text(p.kind) + SEP + text(p.arch) + SEP + text(p.module) + SEP + packageDb,
          ecosystem,
          packageDb,
          detector: text(p.detector),
          pkg: p,
          environments: [],
        }
        packages.set(key, entry)
      }
      if (!keys) keys = [key]
      else if (!keys.includes(key)) keys.push(key)
      const layer = text(env.introduced_in)
      const distId = text(env.distribution_id)
      const repoIds = idList(env.repository_ids)
      if (layer || distId || repoIds.length) {
        const cacheKey = layer + SEP + distId + SEP + repoIds.join(',') + extrasKey(env, extras.environment)
        let e = envCache.get(cacheKey)
        if (!e)
          envCache.set(cacheKey, (e = canonicalEnvironment(env, distById, repoById, extras.environment)))
        if (!entry.environments.some((x) => x.key === (e as CanonicalEnvironment).key))
          entry.environments.push(e)
      }
    }
    if (keys) packageIds.set(id, keys)
  }
  return { distributions, repositories, packages, packageIds }
}

function canonicalEnvironment(
  env: Environment,
  distById: Map<string, CanonicalDistribution>,
  repoById: Map<string, CanonicalRepository>,
  extras: string[],
): CanonicalEnvironment {
  const layer = text(env.introduced_in)
  const distId = text(env.distribution_id)
  const dist = distId ? distById.get(distId) : undefined
  // An id that points nowhere is still "some distribution": keep it distinct from none.
  const distribution = dist ? dist.identity : distId ? '?' : ''
  const repos = idList(env.repository_ids).map((r) => repoById.get(r))
  const repositories = repos
    .map((r) => (r ? r.identity : '?'))
    .sort()
    .join(SEP)
  const key = layer + SEP + distribution + SEP + repositories + extrasKey(env, extras)
  return { layer, distribution, repositories, key, dist, unknownDistribution: !!distId && !dist, repos }
}

// ---------------------------------------------------------------------------------------------------------
// Vulnerabilities

/** Fields of a vulnerability compared when its identity matches (vulnerability data, not matching). */
export const VULNERABILITY_ATTRIBUTES = [
  'fixed_in_version',
  'severity',
  'normalized_severity',
  'links',
  'issued',
  'description',
] as const
export type VulnerabilityAttribute = (typeof VULNERABILITY_ATTRIBUTES)[number]

const NORMALISE: Record<VulnerabilityAttribute, (v: unknown) => string> = {
  fixed_in_version: text,
  severity: text,
  normalized_severity: text,
  links: normaliseLinks,
  issued: normaliseIssued,
  description: text,
}

export interface CanonicalVulnerability {
  /**
   * updater, name, affected package and version range, arch_op, distribution, repository (+ shared extras),
   * as a number from the comparison's Interner: equal content, equal number, on both sides.
   */
  identity: number
  updater: string
  name: string
  /** The vulnerability as the report has it: its data is normalised only where raw values differ. */
  raw: Vulnerability
}

/** A field as text() has it, without the call for the usual case (a string). */
function str(I: Interner, v: unknown): number {
  return I.str(typeof v === 'string' ? v : text(v))
}

/** One vulnerability identity, for comparing candidates that share a name. */
interface IdentityRow {
  updater: string
  pkg: number
  range: string
  archOp: string
  dist: number
  repo: number
  extras: string[] | undefined
  identity: number
}

/**
 * Interns vulnerability identities, one instance for both sides of a comparison. The parts are the tuples
 * packageContentKey, distributionKey and repositoryKey build as strings (an empty distribution or repository
 * is the all-empty tuple, as "" is there), so two vulnerabilities get the same number exactly when those
 * strings would have been equal (no Clair field holds \x1f). Vulnerabilities come in runs that share their
 * package, distribution and repository: each part is first compared field by field with the previous one.
 */
export class VulnerabilityIdentities {
  private readonly I: Interner
  private readonly extras: string[]
  private readonly rootPackage: number
  private readonly rootDistribution: number
  private readonly rootRepository: number
  private readonly byName = new Map<string, IdentityRow | IdentityRow[]>()
  private next = 1
  private lastPkg: Partial<Package> | undefined
  private lastPkgSource: Partial<Package> | undefined
  private lastPkgId = 0
  private lastDist: Partial<Distribution> | undefined
  private lastDistId = 0
  private lastRepo: Partial<Repository> | undefined
  private lastRepoId = 0

  constructor(I: Interner, extras: string[] = []) {
    this.I = I
    this.extras = extras
    this.rootPackage = I.root('package')
    this.rootDistribution = I.root('distribution')
    this.rootRepository = I.root('repository')
  }

  /** packageContentKey(p) without extras, as a number. */
  package(pkg: Package | null | undefined): number {
    const p: Partial<Package> = pkg ?? {}
    const s: Partial<Package> = p.source ?? {}
    const l = this.lastPkg
    const ls = this.lastPkgSource
    if (
      l &&
      ls &&
      p.name === l.name &&
      p.version === l.version &&
      p.kind === l.kind &&
      p.arch === l.arch &&
      p.module === l.module &&
      p.normalized_version === l.normalized_version &&
      p.cpe === l.cpe &&
      s.name === ls.name &&
      s.version === ls.version &&
      s.kind === ls.kind
    )
      return this.lastPkgId
    const I = this.I
    let n = I.pair(this.rootPackage, str(I, p.name))
    n = I.pair(n, str(I, p.version))
    n = I.pair(n, str(I, p.kind))
    n = I.pair(n, str(I, p.arch))
    n = I.pair(n, str(I, p.module))
    n = I.pair(n, str(I, p.normalized_version))
    n = I.pair(n, str(I, p.cpe))
    n = I.pair(n, str(I, s.name))
    n = I.pair(n, str(I, s.version))
    n = I.pair(n, str(I, s.kind))
    this.lastPkg = p
    this.lastPkgSource = s
    return (this.lastPkgId = n)
  }

  /** distributionKey(d) without extras, as a number. */
  distribution(dist: Distribution | null | undefined): number {
    const d: Partial<Distribution> = dist ?? {}
    const l = this.lastDist
    if (
      l &&
      d.did === l.did &&
      d.name === l.name &&
      d.version === l.version &&
      d.version_code_name === l.version_code_name &&
      d.version_id === l.version_id &&
      d.arch === l.arch &&
      d.cpe === l.cpe &&
      d.pretty_name === l.pretty_name
    )
      return this.lastDistId
    const I = this.I
    let n = I.pair(this.rootDistribution, str(I, d.did))
    n = I.pair(n, str(I, d.name))
    n = I.pair(n, str(I, d.version))
    n = I.pair(n, str(I, d.version_code_name))
    n = I.pair(n, str(I, d.version_id))
    n = I.pair(n, str(I, d.arch))
    n = I.pair(n, str(I, d.cpe))
    n = I.pair(n, str(I, d.pretty_name))
    this.lastDist = d
    return (this.lastDistId = n)
  }

  /** repositoryKey(r) without extras, as a number. */
  repository(repo: Repository | null | undefined): number {
    const r: Partial<Repository> = repo ?? {}
    const l = this.lastRepo
    if (l && r.name === l.name && r.key === l.key && r.uri === l.uri && r.cpe === l.cpe)
      return this.lastRepoId
    const I = this.I
    let n = I.pair(this.rootRepository, str(I, r.name))
    n = I.pair(n, str(I, r.key))
    n = I.pair(n, str(I, r.uri))
    n = I.pair(n, str(I, r.cpe))
    this.lastRepo = r
    return (this.lastRepoId = n)
  }

  of(v: Vulnerability): CanonicalVulnerability {
    const updater = text(v.updater)
    const name = text(v.name)
    const pkg = this.package(v.package)
    const range = text(v.range)
    const archOp = text(v.arch_op)
    const dist = this.distribution(v.distribution)
    const repo = this.repository(v.repository)
    let extras: string[] | undefined
    if (this.extras.length > 0) {
      const o = v as unknown as Record<string, unknown>
      extras = this.extras.map((f) => text(o[f]))
    }
    const rows = this.byName.get(name)
    const same = (r: IdentityRow): boolean =>
      r.updater === updater &&
      r.pkg === pkg &&
      r.range === range &&
      r.archOp === archOp &&
      r.dist === dist &&
      r.repo === repo &&
      (extras === undefined || sameList(r.extras as string[], extras))
    let row: IdentityRow | undefined
    if (rows === undefined) {
      row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++ }
      this.byName.set(name, row)
    } else if (!Array.isArray(rows)) {
      if (same(rows)) row = rows
      else {
        row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++ }
        this.byName.set(name, [rows, row])
      }
    } else {
      row = rows.find(same)
      if (!row) rows.push((row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++ }))
    }
    return { identity: row.identity, updater, name, raw: v }
  }
}

function sameList(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The data of one attribute, normalised (issued in UTC or "", links as a sorted set). */
export function vulnerabilityAttribute(v: CanonicalVulnerability, f: VulnerabilityAttribute): string {
  return NORMALISE[f](v.raw[f])
}

/** Whether two vulnerabilities with the same identity carry the same data. */
export function sameVulnerabilityData(a: CanonicalVulnerability, b: CanonicalVulnerability): boolean {
  for (const f of VULNERABILITY_ATTRIBUTES) {
    const x = a.raw[f]
    const y = b.raw[f]
    if (x === y) continue
    if (NORMALISE[f](x) !== NORMALISE[f](y)) return false
  }
  return true
}
