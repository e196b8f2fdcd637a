// The I/O edge of comparison: two report stores in, differences out. One manifest in memory at a time.
import { expiredRules } from './attribute.ts'
import { addCoverage, addToNoiseIndex, compareManifest, emptyCoverage } from './compare.ts'
import { emptyNoiseIndex } from './attribute.ts'
import type { CompareContext, ManifestReports } from './compare.ts'
import type { Coverage } from '../rundir/types.ts'
import type { ExpectedChange, Rules } from '../config/types.ts'
import type { ReportStore } from '../rundir/io.ts'
import type { ManifestDiff } from '../rundir/types.ts'

export interface CompareStoresResult {
  /** Only manifests that differ, in digest order (one line each of diffs.jsonl). */
  diffs: ManifestDiff[]
  /** Manifests present in both stores. */
  compared: number
  onlyIn: { production: string[]; canary: string[] }
  /**
   * Manifests with a report (index or vulnerability) on the other side that this side lacks: on the canary that
   * is missing evidence, never a pass.
   */
  missing: { production: string[]; canary: string[] }
  /** What the sample exercised, from production's reports (the canary's where production has none). */
  coverage: Coverage
  /** Unknown fields seen in any report, e.g. "vulnerability.Aliases". */
  newFields: string[]
  /** Expected-change rules past their date: no longer applied. */
  expiredRules: ExpectedChange[]
}

async function read(store: ReportStore, digest: string): Promise<ManifestReports> {
  const [index, vulnerability] = await Promise.all([
    store.indexReport(digest),
    store.vulnerabilityReport(digest),
  ])
  const out: ManifestReports = {}
  if (index) out.index = index
  if (vulnerability) out.vulnerability = vulnerability
  return out
}

/** Compares every manifest both stores hold; index states and update operations come from the stores. */
export async function compareStores(
  production: ReportStore,
  canary: ReportStore,
  opts: { rules: Rules; today: string; rereads?: { production?: ReportStore; canary?: ReportStore } },
): Promise<CompareStoresResult> {
  const inCanary = new Set(canary.digests)
  const inProduction = new Set(production.digests)
  const both = production.digests.filter((d) => inCanary.has(d)).sort()

  // Noise first: every difference between re-reads must be known before the first manifest is judged.
  const noise = emptyNoiseIndex()
  for (const side of ['production', 'canary'] as const) {
    const again = opts.rereads?.[side]
    if (!again) continue
    const first = side === 'production' ? production : canary
    const present = side === 'production' ? inProduction : inCanary
    for (const digest of again.digests) {
      if (!present.has(digest)) continue
      const [a, b] = await Promise.all([read(first, digest), read(again, digest)])
      addToNoiseIndex(noise, { digest, production: a, canary: a, rereads: { [side]: b } }, opts.rules)
    }
  }

  const ctx: CompareContext = {
    rules: opts.rules,
    today: opts.today,
    indexStates: {},
    updateOperations: {},
    enrichmentOperations: {},
  }
  if (production.indexState) ctx.indexStates.production = production.indexState.state
  if (canary.indexState) ctx.indexStates.canary = canary.indexState.state
  if (production.updateOperations) ctx.updateOperations.production = production.updateOperations
  if (canary.updateOperations) ctx.updateOperations.canary = canary.updateOperations
  if (production.enrichmentUpdateOperations)
    ctx.enrichmentOperations.production = production.enrichmentUpdateOperations
  if (canary.enrichmentUpdateOperations) ctx.enrichmentOperations.canary = canary.enrichmentUpdateOperations

  const sink = { newFields: new Set<string>() }
  const coverage = emptyCoverage()
  const diffs: ManifestDiff[] = []
  const onlyIn = {
    production: production.digests.filter((d) => !inCanary.has(d)).sort(),
    canary: canary.digests.filter((d) => !inProduction.has(d)).sort(),
  }
  const missing = { production: [...onlyIn.canary], canary: [...onlyIn.production] }
  for (const digest of both) {
    const [p, c] = await Promise.all([read(production, digest), read(canary, digest)])
    // A report one side lacks is missing evidence, not a difference: nothing of it is compared.
    const canaryLacks = (p.index && !c.index) || (p.vulnerability && !c.vulnerability)
    const productionLacks = (c.index && !p.index) || (c.vulnerability && !p.vulnerability)
    if (canaryLacks) missing.canary.push(digest)
    if (productionLacks) missing.production.push(digest)
    addCoverage(coverage, p.index || p.vulnerability ? p : c)
    if (canaryLacks || productionLacks) continue
    const diff = compareManifest({ digest, production: p, canary: c }, ctx, noise, sink)
    if (diff.differences.length > 0) diffs.push(diff)
  }
  return {
    diffs,
    compared: both.length,
    onlyIn,
    missing: { production: missing.production.sort(), canary: missing.canary.sort() },
    coverage,
    newFields: [...sink.newFields].sort(),
    expiredRules: expiredRules(opts.rules, opts.today),
  }
}
