// Why does a difference exist? Each one gets exactly one attribution and a one-line `why` naming the evidence.
//
// Evidence comes before rules, so the most specific explanation wins:
//   1. noise     the same kind+key also differs between two reads of one side (Diffy's primary/secondary)
//   2. drift     a vulnerability/enrichment difference whose updater's latest update-operation
//                fingerprint differs between the sides (the data moved, not the code)
//   3. by-design an index difference (not the state) while the index states differ and
//                rules.byDesign.allow has the change
//   4. allowed   a rule in rules.ignore, or an unexpired rule in rules.expected
//   5. code      everything else: the canary's code is the suspect
// A code difference that an expired expected-change rule would have allowed says so in its `why`.
import { isExpired, matchRule } from './rules.ts'
import type { UpdateOperation, UpdateOperations } from '../clair/types.ts'
import type { Rules } from '../config/types.ts'
import type { Attribution, Difference } from '../rundir/types.ts'
import { latestOperation } from '../clair/operations.ts'

/** Causes in the order they matter: a code change first, then what explains a difference away. */
export const ATTRIBUTIONS: readonly Attribution[] = ['code', 'drift', 'by-design', 'noise', 'allowed']

/** How many of these differences each cause explains (every cause present, 0 where none). */
export function countByCause(
  differences: Iterable<Pick<Difference, 'attribution'>>,
): Record<Attribution, number> {
  const counts: Record<Attribution, number> = { code: 0, drift: 0, 'by-design': 0, noise: 0, allowed: 0 }
  for (const d of differences) counts[d.attribution]++
  return counts
}

/** Signatures of differences seen between repeated reads of the same side. */
export interface NoiseIndex {
  production: Set<string>
  canary: Set<string>
}

export function emptyNoiseIndex(): NoiseIndex {
  return { production: new Set(), canary: new Set() }
}

/** Direction-free: between two reads of one side, "added" vs "removed" only says which read came first. */
export function noiseSignature(d: Pick<Difference, 'report' | 'kind' | 'key' | 'updater'>): string {
  return `${d.report}\x1f${d.kind}\x1f${d.updater ?? ''}\x1f${d.key}`
}

export interface AttributionContext {
  rules: Rules
  /** YYYY-MM-DD, for expected-change expiry. */
  today: string
  indexStates: { production?: string; canary?: string }
  updateOperations: { production?: UpdateOperations; canary?: UpdateOperations }
  enrichmentOperations: { production?: UpdateOperations; canary?: UpdateOperations }
  noise: NoiseIndex
}

function short(fingerprint: string): string {
  return fingerprint.length > 12 ? `${fingerprint.slice(0, 8)}…` : fingerprint
}

function describe(op: UpdateOperation | undefined): string {
  return op ? `${short(op.fingerprint)} (${op.date.slice(0, 10)})` : 'no update operation'
}

/** drift evidence, or the reason it is not drift (for the why of a code difference). */
function driftOf(d: Difference, ctx: AttributionContext): { drift: boolean; why: string } | undefined {
  if (d.report !== 'vulnerability') return undefined
  const enrichment = d.kind === 'enrichment'
  const ops = enrichment ? ctx.enrichmentOperations : ctx.updateOperations
  const what = enrichment ? 'enricher' : 'updater'
  const updater = d.updater ?? ''
  if (!updater) return { drift: false, why: `no ${what} named: cannot blame vulnerability data` }
  const unknown = (['production', 'canary'] as const).filter((side) => !ops[side])
  if (unknown.length > 0) {
    return {
      drift: false,
      why: `${what} ${updater}: update operations of ${unknown.join(' and ')} unknown, so vulnerability data cannot be blamed`,
    }
  }
  const p = latestOperation(ops.production?.[updater])
  const c = latestOperation(ops.canary?.[updater])
  if (!p && !c)
    return { drift: false, why: `${what} ${updater}: neither side reports an update operation for it` }
  if (p && c && p.fingerprint === c.fingerprint) {
    // The enricher's data is the same; the data of the vulnerability it enriches may not be.
    const enriched = enrichment ? enrichedDrift(d, ctx) : undefined
    if (enriched) return enriched
    return { drift: false, why: `${what} ${updater}: same fingerprint ${short(p.fingerprint)} on both sides` }
  }
  return {
    drift: true,
    why: `${what} ${updater}: production fingerprint ${describe(p)}, canary ${describe(c)}`,
  }
}

/** Drift of the vulnerability data an enrichment was computed from (its updaters' fingerprints differ). */
function enrichedDrift(d: Difference, ctx: AttributionContext): { drift: boolean; why: string } | undefined {
  const ops = ctx.updateOperations
  if (!ops.production || !ops.canary) return undefined
  for (const updater of d.enriches ?? []) {
    const p = latestOperation(ops.production[updater])
    const c = latestOperation(ops.canary[updater])
    if ((p || c) && p?.fingerprint !== c?.fingerprint)
      return {
        drift: true,
        why: `the enriched vulnerability's updater ${updater} differs: production fingerprint ${describe(p)}, canary ${describe(c)}`,
      }
  }
  return undefined
}

function byDesignOf(d: Difference, ctx: AttributionContext): { byDesign: boolean; why: string } | undefined {
  if (d.report !== 'index') return undefined
  // A report that failed on one side is a failure whatever the scanners are.
  if (d.kind === 'state') return { byDesign: false, why: 'the index outcome differs (never by design)' }
  const { production, canary } = ctx.indexStates
  if (!production || !canary) {
    const unknown = [!production && 'production', !canary && 'canary'].filter(Boolean).join(' and ')
    return { byDesign: false, why: `index state of ${unknown} unknown` }
  }
  if (production === canary) return { byDesign: false, why: `index states equal (${short(production)})` }
  const states = `index states differ (production ${short(production)}, canary ${short(canary)})`
  const allow = ctx.rules.byDesign.allow
  if (allow.includes(d.change))
    return { byDesign: true, why: `${states} and rules allow ${d.change} by design` }
  return {
    byDesign: false,
    why: `${states} but ${d.change} is not allowed by design (byDesign.allow: ${allow.join(', ') || 'nothing'})`,
  }
}

/** Sets `attribution` and `why` on a difference (in place) and returns it. */
export function attribute(d: Difference, ctx: AttributionContext): Difference {
  const sig = noiseSignature(d)
  const inProduction = ctx.noise.production.has(sig)
  if (inProduction || ctx.noise.canary.has(sig)) {
    d.attribution = 'noise'
    d.why = inProduction
      ? 'the same difference appears between two reads of production'
      : 'the same difference appears between two reads of the canary only (new non-determinism?)'
    return d
  }
  const drift = driftOf(d, ctx)
  if (drift?.drift) {
    d.attribution = 'drift'
    d.why = drift.why
    return d
  }
  const design = byDesignOf(d, ctx)
  if (design?.byDesign) {
    d.attribution = 'by-design'
    d.why = design.why
    return d
  }
  for (const rule of ctx.rules.ignore) {
    if (matchRule(rule, d)) {
      d.attribution = 'allowed'
      d.why = `ignore rule: ${rule.reason}`
      return d
    }
  }
  let expired = ''
  for (const rule of ctx.rules.expected) {
    if (!matchRule(rule, d)) continue
    if (!isExpired(rule, ctx.today)) {
      d.attribution = 'allowed'
      d.why = `expected change until ${rule.expires}: ${rule.reason}`
      return d
    }
    expired ||= `; expected-change rule "${rule.reason}" expired ${rule.expires}`
  }
  d.attribution = 'code'
  d.why = (drift?.why ?? design?.why ?? 'no noise, drift or rule explains it') + expired
  return d
}

/** Expected-change rules whose date has passed: they no longer apply, and the summary should say so. */
export function expiredRules(rules: Rules, today: string): Rules['expected'] {
  return rules.expected.filter((r) => isExpired(r, today))
}
