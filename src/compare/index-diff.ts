// Index report differences, production -> canary, over the content-keyed canonical form.
//
// Packages are compared one place at a time (content + package_db). What is left over on each side is
// paired before it is called added/removed, so one cause is one difference:
//   1. same content, another package_db        -> environment changed (package_db)
//   2. same name/kind/arch/module in the same db -> package changed (version, normalized_version, source, ...)
//   3. the rest                                  -> package added / removed
// Pairs are only made one-to-one; an ambiguous group stays as added/removed rather than guessing.
import { entryIdentity, entryLabel, entryValue, environmentValue } from './index-identity.ts'
import { normaliseErr, text } from './values.ts'
import { shortDigest } from '../format.ts'
import type { CanonicalEnvironment, CanonicalIndex, PackageEntry } from './index-identity.ts'
import type { IndexReport } from '../clair/types.ts'
import type { Difference } from '../rundir/types.ts'

export interface IndexDiffResult {
  differences: Difference[]
  /** Package entry key (either side) -> the package difference that reported it. */
  touched: Map<number, Difference>
  /** Production entry key -> canary entry key of a package that changed or moved. */
  pairs: Map<number, number>
}

/** Distinct values of two records, for before/after of a `changed` difference. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const x = before[k]
    const y = after[k]
    if (JSON.stringify(x ?? '') !== JSON.stringify(y ?? '')) {
      b[k] = x ?? null
      a[k] = y ?? null
    }
  }
  return { before: b, after: a }
}

/**
 * Pairs leftovers one-to-one by a coarser key. Returns the pairs and what stays unpaired, in input order.
 */
export function pairOneToOne<T>(
  removed: T[],
  added: T[],
  keyOf: (t: T) => string | number,
): { pairs: Array<[T, T]>; removed: T[]; added: T[] } {
  if (removed.length === 0 || added.length === 0) return { pairs: [], removed, added }
  const groups = new Map<string | number, { r: T[]; a: T[] }>()
  for (const r of removed) {
    const k = keyOf(r)
    const g = groups.get(k) ?? { r: [], a: [] }
    g.r.push(r)
    groups.set(k, g)
  }
  for (const a of added) {
    const g = groups.get(keyOf(a))
    if (g) g.a.push(a)
  }
  const pairs: Array<[T, T]> = []
  const paired = new Set<T>()
  for (const g of groups.values()) {
    if (g.r.length === 1 && g.a.length === 1) {
      pairs.push([g.r[0] as T, g.a[0] as T])
      paired.add(g.r[0] as T)
      paired.add(g.a[0] as T)
    }
  }
  if (pairs.length === 0) return { pairs, removed, added }
  return { pairs, removed: removed.filter((r) => !paired.has(r)), added: added.filter((a) => !paired.has(a)) }
}

/** Keys in a but not in b. */
function onlyIn<K, V>(a: Map<K, V>, b: Map<K, V>): V[] {
  const out: V[] = []
  a.forEach((v, k) => {
    if (!b.has(k)) out.push(v)
  })
  return out
}

/** The state part of an index report: state, success and err (query strings removed). */
export function stateOf(r: Pick<IndexReport, 'state' | 'success' | 'err'>): {
  state: string
  success: boolean
  err: string
} {
  return { state: text(r.state), success: r.success === true, err: normaliseErr(r.err) }
}

/** True when a report holds a finished index: anything else has no packages worth comparing. */
export function isFinished(r: Pick<IndexReport, 'state' | 'success'>): boolean {
  return r.success === true && (r.state === 'IndexFinished' || r.state === undefined)
}

/** A `state` difference, or undefined when state, success and err agree. */
export function stateDiff(
  production: Pick<IndexReport, 'state' | 'success' | 'err'>,
  canary: Pick<IndexReport, 'state' | 'success' | 'err'>,
): Difference | undefined {
  const p = stateOf(production)
  const c = stateOf(canary)
  if (p.state === c.state && p.success === c.success && p.err === c.err) return undefined
  const { before, after } = changedFields(p, c)
  return {
    report: 'index',
    kind: 'state',
    change: 'changed',
    key: 'state',
    attribution: 'code',
    before,
    after,
  }
}

/** Differences in packages, distributions, repositories and environments. */
export function indexContentDiff(
  production: CanonicalIndex,
  canary: CanonicalIndex,
  opts: { ignoreDetector: boolean },
): IndexDiffResult {
  const differences: Difference[] = []
  const touched = new Map<number, Difference>()
  const pairs = new Map<number, number>()

  // Distributions and repositories: pair leftovers by identity into `changed`.
  for (const kind of ['distribution', 'repository'] as const) {
    const a = kind === 'distribution' ? production.distributions : production.repositories
    const b = kind === 'distribution' ? canary.distributions : canary.repositories
    const paired = pairOneToOne(onlyIn(a, b), onlyIn(b, a), (x) => x.identity)
    for (const [p, c] of paired.pairs) {
      differences.push({
        report: 'index',
        kind,
        change: 'changed',
        key: p.label,
        attribution: 'code',
        ...changedFields(p.value, c.value),
      })
    }
    for (const p of paired.removed) {
      differences.push({
        report: 'index',
        kind,
        change: 'removed',
        key: p.label,
        attribution: 'code',
        before: p.value,
        after: null,
      })
    }
    for (const c of paired.added) {
      differences.push({
        report: 'index',
        kind,
        change: 'added',
        key: c.label,
        attribution: 'code',
        before: null,
        after: c.value,
      })
    }
  }

  // Packages.
  const removed = onlyIn(production.packages, canary.packages)
  const added = onlyIn(canary.packages, production.packages)
  /** A difference about entries on one side or both: touched, and paired when both. */
  const found = (d: Difference, ...entries: PackageEntry[]) => {
    differences.push(d)
    for (const e of entries) touched.set(e.key, d)
    const [p, c] = entries
    if (p && c) pairs.set(p.key, c.key)
  }
  const moved = pairOneToOne(removed, added, (e) => e.content)
  for (const [p, c] of moved.pairs)
    found(
      entryChanged('environment', p, {
        before: { package_db: p.packageDb },
        after: { package_db: c.packageDb },
      }),
      p,
      c,
    )
  const changed = pairOneToOne(moved.removed, moved.added, entryIdentity)
  for (const [p, c] of changed.pairs)
    found(entryChanged('package', p, changedFields(entryValue(p), entryValue(c))), p, c)
  for (const p of changed.removed) found(packageDifference('removed', p), p)
  for (const c of changed.added) found(packageDifference('added', c), c)

  // Same package in the same place on both sides: its layers, distribution and repositories, and detector.
  production.packages.forEach((p, key) => {
    const c = canary.packages.get(key)
    if (!c) return
    environmentDiff(p, c, differences)
    if (!opts.ignoreDetector && p.detector && c.detector && p.detector !== c.detector)
      differences.push(
        entryChanged('package', p, { before: { detector: p.detector }, after: { detector: c.detector } }),
      )
  })
  return { differences, touched, pairs }
}

/** A package entry (named as production has it) that changed between the sides. */
function entryChanged(
  kind: 'package' | 'environment',
  p: PackageEntry,
  values: { before: unknown; after: unknown },
): Difference {
  return {
    report: 'index',
    kind,
    change: 'changed',
    key: entryLabel(p),
    attribution: 'code',
    ecosystem: p.ecosystem,
    ...values,
  }
}

function packageDifference(change: 'added' | 'removed', e: PackageEntry): Difference {
  const value = { ...entryValue(e), layers: [...new Set(e.environments.map((x) => x.layer))].filter(Boolean) }
  return {
    report: 'index',
    kind: 'package',
    change,
    key: entryLabel(e),
    attribution: 'code',
    ecosystem: e.ecosystem,
    before: change === 'removed' ? value : null,
    after: change === 'added' ? value : null,
  }
}

function environmentDiff(p: PackageEntry, c: PackageEntry, out: Difference[]): void {
  const a = p.environments
  const b = c.environments
  if (a.length === b.length && a.every((x) => b.some((y) => y.key === x.key))) return
  const byKey = (list: CanonicalEnvironment[]) => new Map(list.map((e) => [e.key, e]))
  const am = byKey(a)
  const bm = byKey(b)
  const paired = pairOneToOne(onlyIn(am, bm), onlyIn(bm, am), (e) => e.layer)
  const label = entryLabel(p)
  const key = (e: CanonicalEnvironment): string => (e.layer ? `${label} @ ${shortDigest(e.layer)}` : label)
  const base = { report: 'index', kind: 'environment', attribution: 'code', ecosystem: p.ecosystem } as const
  for (const [x, y] of paired.pairs) {
    out.push({
      ...base,
      change: 'changed',
      key: key(x),
      ...changedFields(environmentValue(x), environmentValue(y)),
    })
  }
  for (const x of paired.removed)
    out.push({ ...base, change: 'removed', key: key(x), before: environmentValue(x), after: null })
  for (const y of paired.added)
    out.push({ ...base, change: 'added', key: key(y), before: null, after: environmentValue(y) })
}
