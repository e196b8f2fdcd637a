// The I/O edge of comparison: two report stores in, differences out. One manifest in memory at a time.
import { LiveCompare } from './live.ts'
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
  const live = new LiveCompare({
    rules: opts.rules,
    today: opts.today,
    ...contextOfStores({ production, canary }),
  })
  const inCanary = new Set(canary.digests)
  const inProduction = new Set(production.digests)

  // Noise first: every difference between re-reads is known before the first manifest is attributed.
  for (const side of ['production', 'canary'] as const) {
    const again = opts.rereads?.[side]
    if (!again) continue
    const first = side === 'production' ? production : canary
    const present = side === 'production' ? inProduction : inCanary
    for (const digest of again.digests) {
      if (!present.has(digest)) continue
      const [a, b] = await Promise.all([read(first, digest), read(again, digest)])
      live.addReread(digest, side, a, b)
    }
  }

  // One manifest in memory at a time.
  for (const digest of [...new Set([...production.digests, ...canary.digests])].sort()) {
    const [p, c] = await Promise.all([
      inProduction.has(digest) ? read(production, digest) : {},
      inCanary.has(digest) ? read(canary, digest) : {},
    ])
    live.add(digest, p, c)
  }
  return live.result()
}

/** Index states and update operations of both sides, as attribution needs them. */
export function contextOfStores(stores: {
  production: Pick<ReportStore, 'indexState' | 'updateOperations' | 'enrichmentUpdateOperations'>
  canary: Pick<ReportStore, 'indexState' | 'updateOperations' | 'enrichmentUpdateOperations'>
}): Pick<CompareContext, 'indexStates' | 'updateOperations' | 'enrichmentOperations'> {
  const ctx: Pick<CompareContext, 'indexStates' | 'updateOperations' | 'enrichmentOperations'> = {
    indexStates: {},
    updateOperations: {},
    enrichmentOperations: {},
  }
  for (const side of ['production', 'canary'] as const) {
    const store = stores[side]
    if (store.indexState) ctx.indexStates[side] = store.indexState.state
    if (store.updateOperations) ctx.updateOperations[side] = store.updateOperations
    if (store.enrichmentUpdateOperations) ctx.enrichmentOperations[side] = store.enrichmentUpdateOperations
  }
  return ctx
}
