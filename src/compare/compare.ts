// Comparing one manifest's reports, production -> canary: diff by content, then attribute every difference.
// Pure: reports and context in, differences out. The run-directory edge is ./stores.ts.
import { attribute, noiseSignature } from './attribute.ts'
import { ecosystemOf } from './ecosystem.ts'
import { newFieldNames, scanFields, sharedExtras } from './fields.ts'
import { canonicalDistribution, canonicalIndex } from './index-identity.ts'
import { Interner } from './intern.ts'
import { indexContentDiff, isFinished, stateDiff } from './index-diff.ts'
import { canonicalMatches, enrichmentDiff, vulnerabilityMatchDiff } from './vulnerability-diff.ts'
import { VulnerabilityIdentities } from './vulnerability-identity.ts'
import type { NoiseIndex } from './attribute.ts'
import type { CanonicalIndex } from './index-identity.ts'
import type { IndexDiffResult } from './index-diff.ts'
import type { Folded } from './vulnerability-diff.ts'
import type { IndexReport, UpdateOperations, VulnerabilityReport } from '../clair/types.ts'
import type { Rules } from '../config/types.ts'
import type { Coverage, Difference, DifferenceKind, ManifestDiff } from '../rundir/types.ts'

export type { NoiseIndex } from './attribute.ts'

export interface ManifestReports {
  index?: IndexReport
  vulnerability?: VulnerabilityReport
}

export interface CompareInput {
  digest: string
  production: ManifestReports
  canary: ManifestReports
  /** Second reads of the same manifest, for noise: production vs production, canary vs canary. */
  rereads?: { production?: ManifestReports; canary?: ManifestReports }
}

export interface CompareContext {
  rules: Rules
  indexStates: { production?: string; canary?: string }
  updateOperations: { production?: UpdateOperations; canary?: UpdateOperations }
  enrichmentOperations: { production?: UpdateOperations; canary?: UpdateOperations }
  /** YYYY-MM-DD */
  today: string
}

/** What the sample exercised: manifests per distribution, ecosystem and updater. */
/** Collects information that is not a difference, e.g. unknown fields ("vulnerability.Aliases"). */
export interface CompareSink {
  newFields: Set<string>
}

const KIND_ORDER: Record<DifferenceKind, number> = {
  state: 0,
  distribution: 1,
  repository: 2,
  package: 3,
  environment: 4,
  vulnerability: 5,
  enrichment: 6,
}

const MAX_NAMES = 20
const NO_INDEX_DIFF: Pick<IndexDiffResult, 'touched' | 'pairs'> = { touched: new Map(), pairs: new Map() }

/**
 * Differences between two sets of reports of one manifest, before attribution (every one says `code`).
 * Also used between two reads of the same side to find noise.
 */
export function diffReports(
  a: ManifestReports,
  b: ManifestReports,
  opts: { ignoreDetector: boolean },
  sink?: CompareSink,
): Difference[] {
  const fa = scanFields(a.index)
  scanFields(a.vulnerability, fa)
  const fb = scanFields(b.index)
  scanFields(b.vulnerability, fb)
  if (sink) for (const f of newFieldNames(fa, fb)) sink.newFields.add(f)
  const extras = sharedExtras(fa, fb)
  const copts = { ignoreDetector: opts.ignoreDetector, extras }
  // One table for every canonical form below: entry keys and identities are numbers equal across them.
  const interner = new Interner()
  const out: Difference[] = []

  if (a.index && b.index) {
    const state = stateDiff(a.index, b.index)
    if (state) out.push(state)
    // A failed index has no contents: report the failure once, not every package it lacks.
    if (!isFinished(a.index) || !isFinished(b.index)) return out
  }

  const srcA = a.index ?? a.vulnerability
  const srcB = b.index ?? b.vulnerability
  let ca: CanonicalIndex | undefined
  let cb: CanonicalIndex | undefined
  let index: IndexDiffResult | undefined
  if (srcA && srcB) {
    ca = canonicalIndex(srcA, copts, interner)
    cb = canonicalIndex(srcB, copts, interner)
    index = indexContentDiff(ca, cb, copts)
    out.push(...index.differences)
  }

  if (a.vulnerability && b.vulnerability) {
    const va = srcA === a.vulnerability && ca ? ca : canonicalIndex(a.vulnerability, copts, interner)
    const vb = srcB === b.vulnerability && cb ? cb : canonicalIndex(b.vulnerability, copts, interner)
    const identities = new VulnerabilityIdentities(interner, extras.vulnerability)
    const ma = canonicalMatches(a.vulnerability, va, identities)
    const mb = canonicalMatches(b.vulnerability, vb, identities)
    const vuln = vulnerabilityMatchDiff(ma, mb, { production: va, canary: vb }, index ?? NO_INDEX_DIFF)
    if (index) foldOnto(index.touched, vuln.folded)
    out.push(...vuln.differences, ...enrichmentDiff(a.vulnerability, b.vulnerability, ma, mb))
  }
  return out.sort(byReportKindKey)
}

function foldOnto(touched: Map<number, Difference>, folded: Map<number, Folded>): void {
  const names = new Map<Difference, Set<string>>()
  for (const [key, f] of folded) {
    const d = touched.get(key)
    if (!d) continue
    const v = (d.vulnerabilities ??= { added: 0, removed: 0, changed: 0, names: [] })
    v.added += f.added
    v.removed += f.removed
    v.changed += f.changed
    const set = names.get(d) ?? new Set(v.names)
    for (const n of f.names) set.add(n)
    names.set(d, set)
  }
  for (const [d, set] of names)
    if (d.vulnerabilities) d.vulnerabilities.names = [...set].sort().slice(0, MAX_NAMES)
}

function byReportKindKey(x: Difference, y: Difference): number {
  if (x.report !== y.report) return x.report === 'index' ? -1 : 1
  if (x.kind !== y.kind) return KIND_ORDER[x.kind] - KIND_ORDER[y.kind]
  if (x.key !== y.key) return x.key < y.key ? -1 : 1
  if ((x.updater ?? '') !== (y.updater ?? '')) return (x.updater ?? '') < (y.updater ?? '') ? -1 : 1
  return x.change < y.change ? -1 : x.change > y.change ? 1 : 0
}

/** Adds what differs between repeated reads of one manifest to the noise index. */
export function addToNoiseIndex(
  noise: NoiseIndex,
  input: CompareInput,
  rules: Pick<Rules, 'ignoreDetector'>,
): void {
  for (const side of ['production', 'canary'] as const) {
    const again = input.rereads?.[side]
    if (!again) continue
    for (const d of diffReports(input[side], again, rules)) noise[side].add(noiseSignature(d))
  }
}

/** Compares one manifest and attributes every difference. `differences` is [] when they agree. */
export function compareManifest(
  input: CompareInput,
  ctx: CompareContext,
  noise: NoiseIndex,
  sink?: CompareSink,
): ManifestDiff {
  const differences = diffReports(input.production, input.canary, ctx.rules, sink)
  const actx = { ...ctx, noise }
  for (const d of differences) attribute(d, actx)
  return { digest: input.digest, differences }
}

// ---------------------------------------------------------------------------------------------------------
// Coverage

export function emptyCoverage(): Coverage {
  return { manifests: 0, distributions: {}, ecosystems: {}, updaters: {} }
}

/** Counts one manifest's distributions, ecosystems and updaters (each at most once per manifest). */
export function addCoverage(coverage: Coverage, reports: ManifestReports): Coverage {
  const src = reports.index ?? reports.vulnerability
  if (!src) return coverage
  coverage.manifests++
  const distributions = new Set<string>()
  for (const id in src.distributions ?? {}) {
    const d = src.distributions?.[id]
    if (d) distributions.add(canonicalDistribution(d).label)
  }
  const ecosystems = new Set<string>()
  const repos = src.repository ?? {}
  for (const id in src.packages ?? {}) {
    const p = src.packages?.[id]
    if (!p) continue
    const envs = src.environments?.[id]
    if (!envs || envs.length === 0) ecosystems.add(ecosystemOf(p))
    else
      for (const env of envs)
        ecosystems.add(
          ecosystemOf(
            p,
            env,
            (env.repository_ids ?? []).map((r) => repos[r]),
          ),
        )
  }
  const updaters = new Set<string>()
  const vulns = reports.vulnerability?.vulnerabilities ?? {}
  for (const id in vulns) {
    const u = vulns[id]?.updater
    if (u) updaters.add(u)
  }
  const count = (into: Record<string, number>, names: Set<string>): void => {
    for (const n of names) into[n] = (into[n] ?? 0) + 1
  }
  count(coverage.distributions, distributions)
  count(coverage.ecosystems, ecosystems)
  count(coverage.updaters, updaters)
  return coverage
}

export function coverageOf(reports: ManifestReports[]): Coverage {
  const coverage = emptyCoverage()
  for (const r of reports) addCoverage(coverage, r)
  return coverage
}
