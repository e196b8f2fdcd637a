// Canonical form of Clair reports: everything keyed by content, never by database row id.
//
// Every map key and `id` in a report is a row id of the deployment that produced it (FACTS.md 2.4), so two
// Clairs with identical content disagree on all of them. Here each package, distribution, repository,
// environment and vulnerability gets a content key instead, and everything whose presence depends on the
// Clair version (missing, "", null, [], {}) collapses to "". Distribution and repository keys join fields
// with \x1f, which no Clair field contains, so "aarch64|x86_64" in an arch can't collide with the separator.
// Package entries and vulnerability identities, which are many, are the same tuples interned into numbers
// through one table shared by both sides (./intern.ts): no key string is built for them, and readable
// labels are only built for the differences reported.
import type {
  Distribution,
  Environment,
  IndexReport,
  Package,
  Repository,
  Vulnerability,
  VulnerabilityReport,
} from '../clair/types.ts'
import { DISTRIBUTION_FIELDS, REPOSITORY_FIELDS } from '../clair/types.ts'
import { Interner, TupleInterner } from './intern.ts'

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
  const key = DISTRIBUTION_FIELDS.map((f) => text(d[f])).join(SEP) + extrasKey(d, extras)
  return key.length === DISTRIBUTION_FIELDS.length - 1 + extras.length ? '' : key
}

/** All content fields of a repository; "" when every one is empty. */
export function repositoryKey(r: Repository | null | undefined, extras: string[] = []): string {
  if (!r) return ''
  const key = REPOSITORY_FIELDS.map((f) => text(r[f])).join(SEP) + extrasKey(r, extras)
  return key.length === REPOSITORY_FIELDS.length - 1 + extras.length ? '' : key
}

/** A distribution or repository as the compare sees it. */
export interface CanonicalObject {
  /** All content fields. */
  key: string
  /**
   * What makes it "the same" object when other fields change. A distribution: did (or name), version_id (or
   * version), arch. A repository: key and name (one whose uri or cpe changed is still the same repository).
   */
  identity: string
  label: string
  value: Record<string, string>
}

export function canonicalDistribution(d: Distribution, extras: string[] = []): CanonicalObject {
  const value = contentOf(d, DISTRIBUTION_FIELDS)
  const {
    did = '',
    name = '',
    version = '',
    version_id: versionId = '',
    arch = '',
    pretty_name: pretty = '',
  } = value
  const identity = (did || name) + SEP + (versionId || version) + SEP + arch
  const label = pretty || [did || name, versionId || version, arch].filter(Boolean).join(' ') || '(unnamed)'
  return { key: distributionKey(d, extras), identity, label, value }
}

export function canonicalRepository(r: Repository, extras: string[] = []): CanonicalObject {
  const value = contentOf(r, REPOSITORY_FIELDS)
  const { name = '', key: rkey = '', uri = '' } = value
  return {
    key: repositoryKey(r, extras),
    identity: rkey + SEP + name,
    label: rkey && rkey !== name ? `${name || '(unnamed)'} (${rkey})` : name || uri || '(unnamed)',
    value,
  }
}

/** The fields that are not empty, as text, in the layout's order. */
function contentOf(o: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  return compact(Object.fromEntries(fields.map((f) => [f, text(o[f])])))
}

/** Without the empty fields. */
function compact(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k in o) if (o[k]) out[k] = o[k]
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Packages

export interface CanonicalEnvironment {
  layer: string
  /** Identity of its distribution (so a distribution whose pretty_name changed doesn't move every package). */
  distribution: string
  /** Sorted identities of its repositories. */
  repositories: string
  key: string
  dist: CanonicalObject | undefined
  /** The environment pointed at a distribution id the report does not describe. */
  unknownDistribution: boolean
  repos: Array<CanonicalObject | undefined>
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
  /** Content and package_db, as a number from the comparison's Interner (the same on both sides). */
  key: number
  /** Content without place: pairs a package that moved to another package_db. */
  content: number
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
  distributions: Map<string, CanonicalObject>
  repositories: Map<string, CanonicalObject>
  packages: Map<number, PackageEntry>
  /** Package row id -> keys of its entries (one per package_db). */
  packageIds: Map<string, number[]>
}

/** name, kind, arch, module and package_db: "the same package in the same place" (built for leftovers only). */
export function entryIdentity(e: PackageEntry): string {
  const p = e.pkg
  return text(p.name) + SEP + text(p.kind) + SEP + text(p.arch) + SEP + text(p.module) + SEP + e.packageDb
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

/** A report's map of objects by row id, made canonical: by row id, and by content key. */
function byIdAndKey<T>(
  objects: Record<string, T | undefined> | null | undefined,
  canonical: (o: T) => CanonicalObject,
): [Map<string, CanonicalObject>, Map<string, CanonicalObject>] {
  const byId = new Map<string, CanonicalObject>()
  const byKey = new Map<string, CanonicalObject>()
  for (const id in objects ?? {}) {
    const o = objects?.[id]
    if (!o) continue
    const c = canonical(o)
    byId.set(id, c)
    byKey.set(c.key, c)
  }
  return [byId, byKey]
}

const NO_ENVIRONMENT: Environment[] = [{ package_db: '', introduced_in: '', distribution_id: '' }]

/** Re-keys the packages, distributions, repositories and environments of a report by content. */
export function canonicalIndex(
  report: Pick<IndexReport, 'packages' | 'distributions' | 'repository' | 'environments'>,
  opts: CanonicalOptions,
  I: Interner = new Interner(),
): CanonicalIndex {
  const extras = opts.extras ?? NO_EXTRAS
  const [distById, distributions] = byIdAndKey(report.distributions, (d) =>
    canonicalDistribution(d, extras.distribution),
  )
  const [repoById, repositories] = byIdAndKey(report.repository, (r) =>
    canonicalRepository(r, extras.repository),
  )

  const packages = new Map<number, PackageEntry>()
  const packageIds = new Map<string, number[]>()
  const envs = report.environments ?? {}
  // A package's content without its place (package_db) or detector: the tuple VulnerabilityIdentities.package builds.
  const extraPackage = extras.package
  const contents = new TupleInterner(I, 'content', 10 + extraPackage.length)
  const cf = contents.fields
  // Environments repeat (same layer, distribution, repositories for hundreds of packages): build each once.
  const extraEnvironment = extras.environment
  const places = new TupleInterner(I, 'environment', 3 + extraEnvironment.length)
  const pf = places.fields
  const envCache = new Map<number, CanonicalEnvironment>()
  const ecosystemByDb = new Map<string, string>()
  for (const id in report.packages ?? {}) {
    const p = report.packages?.[id]
    if (!p) continue
    // Fields shared by a run of packages first, the name and version (which differ) last.
    const s = p.source
    cf[0] = textOf(p.kind)
    cf[1] = textOf(p.arch)
    cf[2] = textOf(p.module)
    cf[3] = textOf(p.cpe)
    cf[4] = s ? textOf(s.kind) : ''
    for (let i = 0; i < extraPackage.length; i++)
      cf[5 + i] = text((p as unknown as Record<string, unknown>)[extraPackage[i] as string])
    const n = cf.length
    cf[n - 5] = s ? textOf(s.name) : ''
    cf[n - 4] = s ? textOf(s.version) : ''
    cf[n - 3] = textOf(p.name)
    cf[n - 2] = textOf(p.normalized_version)
    cf[n - 1] = textOf(p.version)
    const content = contents.id()
    const list = envs[id]
    let keys: number[] | undefined
    for (const env of list && list.length > 0 ? list : NO_ENVIRONMENT) {
      if (!env) continue
      const packageDb = textOf(env.package_db)
      const key = I.pair(content, I.str(packageDb))
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
      const layer = textOf(env.introduced_in)
      const distId = textOf(env.distribution_id)
      const repoIds = idList(env.repository_ids)
      if (layer || distId || repoIds.length) {
        pf[0] = distId
        pf[1] = repoIds.length ? repoIds.join(',') : ''
        for (let i = 0; i < extraEnvironment.length; i++)
          pf[2 + i] = text((env as unknown as Record<string, unknown>)[extraEnvironment[i] as string])
        pf[pf.length - 1] = layer
        const place = places.id()
        let e = envCache.get(place)
        if (!e) envCache.set(place, (e = canonicalEnvironment(env, distById, repoById, extraEnvironment)))
        if (!entry.environments.some((x) => x.key === e.key)) entry.environments.push(e)
      }
    }
    if (keys) packageIds.set(id, keys)
  }
  return { distributions, repositories, packages, packageIds }
}

function canonicalEnvironment(
  env: Environment,
  distById: Map<string, CanonicalObject>,
  repoById: Map<string, CanonicalObject>,
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

/** text(v), without the call for the usual case (a string). */
function textOf(v: unknown): string {
  return typeof v === 'string' ? v : text(v)
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
  /** The sides that matched it: bit 1 production, bit 2 canary. */
  sides: number
}

/**
 * Interns vulnerability identities, one instance for both sides of a comparison. The parts are the
 * package's content fields and the fields distributionKey and repositoryKey join (an empty distribution or
 * repository is the all-empty tuple, as "" is there), so two vulnerabilities get the same number exactly
 * when those fields are equal. Vulnerabilities come in runs that share their
 * package, distribution and repository: each part is first compared field by field with the previous one.
 */
export class VulnerabilityIdentities {
  private readonly extras: string[]
  private readonly packages: TupleInterner
  private readonly distributions: TupleInterner
  private readonly repositories: TupleInterner
  private readonly byName = new Map<string, IdentityRow | IdentityRow[]>()
  private next = 1

  constructor(I: Interner, extras: string[] = []) {
    this.extras = extras
    this.packages = new TupleInterner(I, 'package', 10)
    this.distributions = new TupleInterner(I, 'distribution', DISTRIBUTION_FIELDS.length)
    this.repositories = new TupleInterner(I, 'repository', REPOSITORY_FIELDS.length)
  }

  /** A package's content without extras, as a number (fields shared by a run first, name and version last). */
  package(pkg: Package | null | undefined): number {
    const p: Partial<Package> = pkg ?? {}
    const s: Partial<Package> = p.source ?? {}
    const f = this.packages.fields
    f[0] = textOf(p.kind)
    f[1] = textOf(p.arch)
    f[2] = textOf(p.module)
    f[3] = textOf(p.cpe)
    f[4] = textOf(s.kind)
    f[5] = textOf(s.name)
    f[6] = textOf(s.version)
    f[7] = textOf(p.name)
    f[8] = textOf(p.normalized_version)
    f[9] = textOf(p.version)
    return this.packages.id()
  }

  /** distributionKey(d) without extras, as a number. */
  distribution(dist: Distribution | null | undefined): number {
    const d: Partial<Distribution> = dist ?? {}
    const f = this.distributions.fields
    DISTRIBUTION_FIELDS.forEach((field, i) => (f[i] = textOf(d[field])))
    return this.distributions.id()
  }

  /** repositoryKey(r) without extras, as a number. */
  repository(repo: Repository | null | undefined): number {
    const r: Partial<Repository> = repo ?? {}
    const f = this.repositories.fields
    REPOSITORY_FIELDS.forEach((field, i) => (f[i] = textOf(r[field])))
    return this.repositories.id()
  }

  /** Whether a side (1 or 2, as given to of()) matched a vulnerability of this name. */
  matched(name: string, side: number): boolean {
    const rows = this.byName.get(name)
    if (rows === undefined) return false
    if (!Array.isArray(rows)) return (rows.sides & side) !== 0
    return rows.some((r) => (r.sides & side) !== 0)
  }

  /** The canonical form of a vulnerability that `side` (1 production, 2 canary) matched. */
  of(v: Vulnerability, side: number): CanonicalVulnerability {
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
      row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++, sides: 0 }
      this.byName.set(name, row)
    } else if (!Array.isArray(rows)) {
      if (same(rows)) row = rows
      else {
        row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++, sides: 0 }
        this.byName.set(name, [rows, row])
      }
    } else {
      row = rows.find(same)
      if (!row)
        rows.push(
          (row = { updater, pkg, range, archOp, dist, repo, extras, identity: this.next++, sides: 0 }),
        )
    }
    row.sides |= side
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
