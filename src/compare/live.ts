// Comparing manifest by manifest, as reports arrive: the pipeline hands each manifest over as soon as both
// sides' first reads are in, and `compareStores` (./stores.ts) hands over what two stores hold. One way of
// comparing for both, so a run directory re-judged later gives the verdict the run gave.
//
// A difference is attributed when its manifest arrives, with the noise seen so far (the sequential judge needs
// it then); re-reads arrive later, so result() attributes every difference again with all the noise.
import { attribute, emptyNoiseIndex, expiredRules } from './attribute.ts'
import { addCoverage, addToNoiseIndex, compareManifest, emptyCoverage } from './compare.ts'
import type { CompareContext, CompareSink, ManifestReports } from './compare.ts'
import type { CompareStoresResult } from './stores.ts'
import type { ManifestDiff, Side } from '../rundir/types.ts'

const hasAny = (r: ManifestReports): boolean => r.index !== undefined || r.vulnerability !== undefined

export class LiveCompare {
  readonly #ctx: CompareContext
  readonly #noise = emptyNoiseIndex()
  readonly #sink: CompareSink = { newFields: new Set() }
  readonly #coverage = emptyCoverage()
  /** Only manifests that differ are kept: the reports themselves are dropped once compared. */
  readonly #diffs: ManifestDiff[] = []
  #compared = 0
  readonly #onlyIn = { production: [] as string[], canary: [] as string[] }
  readonly #missing = { production: [] as string[], canary: [] as string[] }

  constructor(ctx: CompareContext) {
    this.#ctx = ctx
  }

  /**
   * One manifest's first reports of both sides. Returns its differences, attributed with the noise known so
   * far, or null when there is nothing to compare (a side lacks a report: missing evidence, not a difference).
   */
  add(digest: string, production: ManifestReports, canary: ManifestReports): ManifestDiff | null {
    const p = hasAny(production)
    const c = hasAny(canary)
    if (!p && !c) return null
    if (!p || !c) {
      this.#onlyIn[p ? 'production' : 'canary'].push(digest)
      this.#missing[p ? 'canary' : 'production'].push(digest)
      return null
    }
    this.#compared++
    const canaryLacks =
      (production.index && !canary.index) || (production.vulnerability && !canary.vulnerability)
    const productionLacks =
      (canary.index && !production.index) || (canary.vulnerability && !production.vulnerability)
    if (canaryLacks) this.#missing.canary.push(digest)
    if (productionLacks) this.#missing.production.push(digest)
    addCoverage(this.#coverage, production.index || production.vulnerability ? production : canary)
    if (canaryLacks || productionLacks) return null
    const diff = compareManifest({ digest, production, canary }, this.#ctx, this.#noise, this.#sink)
    if (diff.differences.length > 0) this.#diffs.push(diff)
    return diff
  }

  /** A second read of one side of a manifest: what differs between the two reads is noise. */
  addReread(digest: string, side: Side, first: ManifestReports, again: ManifestReports): void {
    addToNoiseIndex(
      this.#noise,
      { digest, production: first, canary: first, rereads: { [side]: again } },
      this.#ctx.rules,
    )
  }

  /** Every manifest's differences, attributed with all the noise, in digest order. */
  result(): CompareStoresResult {
    const actx = { ...this.#ctx, noise: this.#noise }
    for (const diff of this.#diffs) for (const d of diff.differences) attribute(d, actx)
    const byDigest = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
    return {
      diffs: [...this.#diffs].sort((a, b) => byDigest(a.digest, b.digest)),
      compared: this.#compared,
      onlyIn: { production: this.#onlyIn.production.sort(), canary: this.#onlyIn.canary.sort() },
      missing: { production: this.#missing.production.sort(), canary: this.#missing.canary.sort() },
      coverage: this.#coverage,
      newFields: [...this.#sink.newFields].sort(),
      expiredRules: expiredRules(this.#ctx.rules, this.#ctx.today),
    }
  }
}
