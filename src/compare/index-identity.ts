// Index identities: every package, distribution, repository and environment of a report keyed by its content,
// never by database row id.
//
// Every map key and `id` in a report is a row id of the deployment that produced it (FACTS.md 2.4), so two
// Clairs with identical content disagree on all of them. Distribution and repository keys join fields
// with \x1f, which no Clair field contains, so "aarch64|x86_64" in an arch can't collide with the separator.
// Package entries, which are many, are the same tuples interned into numbers through one table shared by
// both sides (./intern.ts): no key string is built for them, and readable labels are only built for the
// differences reported.
import type { Distribution, Environment, IndexReport, Package, Repository } from '../clair/types.ts'
import { DISTRIBUTION_FIELDS, REPOSITORY_FIELDS } from '../clair/types.ts'
import { DB_PREFIXES, ecosystemOf } from './ecosystem.ts'
import { NO_EXTRAS } from './fields.ts'
import type { ExtraFields } from './fields.ts'
import { Interner, TupleInterner } from './intern.ts'
import { sameText, text, textOf } from './values.ts'

const SEP = '\x1f'

export interface CanonicalOptions {
  /** Leave `detector` out of package comparison (it changes with every scanner version). */
  ignoreDetector: boolean
  /** Unknown fields to compare (both sides have them); from sharedExtras(). */
  extras?: ExtraFields
}

function extrasKey(o: Record<string, unknown>, fields: string[]): string {
  if (fields.length === 0) return ''
  let out = ''
  for (const f of fields) out += SEP + text(o[f])
  return out
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

/** The width of a package's content tuple without extras (see packageFields). */
export const PACKAGE_WIDTH = 10

const NO_SOURCE: Partial<Package> = {}

/**
 * A package's content without its place (package_db) or detector, written into `f` in its one tuple layout:
 * fields shared by a run of packages first, then the shared extras, the name and version (which differ) last.
 * `f` is PACKAGE_WIDTH + extras.length wide.
 */
export function packageFields(f: string[], p: Partial<Package>, extras: readonly string[] = []): void {
  const s: Partial<Package> = p.source ?? NO_SOURCE
  f[0] = textOf(p.kind)
  f[1] = textOf(p.arch)
  f[2] = textOf(p.module)
  f[3] = textOf(p.cpe)
  f[4] = textOf(s.kind)
  for (let i = 0; i < extras.length; i++) f[5 + i] = text(p[extras[i] as string])
  const n = f.length
  f[n - 5] = textOf(s.name)
  f[n - 4] = textOf(s.version)
  f[n - 3] = textOf(p.name)
  f[n - 2] = textOf(p.normalized_version)
  f[n - 1] = textOf(p.version)
}

/**
 * Whether two packages have the same content as packageFields writes it (without extras): the same fields
 * read the same way, compared in place, for when only equality is needed. Keep the two in step.
 */
export function samePackage(a: Partial<Package>, b: Partial<Package>): boolean {
  const x: Partial<Package> = a.source ?? NO_SOURCE
  const y: Partial<Package> = b.source ?? NO_SOURCE
  return (
    sameText(a.name, b.name) &&
    sameText(a.version, b.version) &&
    sameText(a.kind, b.kind) &&
    sameText(a.arch, b.arch) &&
    sameText(a.module, b.module) &&
    sameText(a.cpe, b.cpe) &&
    sameText(a.normalized_version, b.normalized_version) &&
    sameText(x.kind, y.kind) &&
    sameText(x.name, y.name) &&
    sameText(x.version, y.version)
  )
}

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
  // A package's content without its place (package_db) or detector, with the shared extras.
  const extraPackage = extras.package
  const contents = new TupleInterner(I, 'content', PACKAGE_WIDTH + extraPackage.length)
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
    packageFields(cf, p, extraPackage)
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
