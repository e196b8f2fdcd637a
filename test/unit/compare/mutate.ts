// Test helpers: re-id, reorder and re-encode a report the way another Clair deployment (or version) would,
// without changing its content. Deterministic for a given seed.
import type { IndexReport, VulnerabilityReport } from '../../../src/clair/types.ts'
import { mulberry32 } from '../../../src/seeded.ts'

type Report = IndexReport | VulnerabilityReport
type Json = Record<string, unknown>

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export const rng = mulberry32

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

const EMPTIES: Array<() => unknown> = [() => undefined, () => '', () => null, () => [], () => ({})]

/** Replaces an empty value with another empty form (or drops it). */
function toggle(o: Json, field: string, random: () => number): void {
  const v = o[field]
  const empty =
    v === undefined ||
    v === null ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
  if (!empty || random() < 0.5) return
  const next = EMPTIES[Math.floor(random() * EMPTIES.length)]?.()
  if (next === undefined) delete o[field]
  else o[field] = next
}

function toggleEach(o: unknown, fields: string[], random: () => number): void {
  if (!o || typeof o !== 'object') return
  for (const f of fields) toggle(o as Json, f, random)
}

/**
 * The same report as another deployment would send it: new row ids everywhere, maps and set-like
 * lists in another order, and empty optional fields in another empty form.
 */
/**
 * The same content as another Clair would send it: new ids, new map and list order, and (unless `emptyForms` is
 * false) each optional field flipped between missing, "", null, [] and {} object by object, as reports stored by
 * different claircore versions differ.
 */
export function reencode<T extends Report>(report: T, seed: number, opts: { emptyForms?: boolean } = {}): T {
  const random = rng(seed)
  const flip = opts.emptyForms ?? true
  const toggleAll = (o: unknown, fields: string[], r: () => number) => {
    if (flip) toggleEach(o, fields, r)
  }
  const r = structuredClone(report) as Json
  let next = 1 + Math.floor(random() * 100000)
  const fresh = (): string => String((next += 1 + Math.floor(random() * 7)))
  const remap = (map: Json | null | undefined): Map<string, string> => {
    const ids = new Map<string, string>()
    for (const id of Object.keys(map ?? {})) ids.set(id, fresh())
    return ids
  }
  const rekey = (
    map: Json | null | undefined,
    ids: Map<string, string>,
    each?: (v: unknown) => unknown,
  ): Json => {
    const out: Json = {}
    for (const id of shuffle(Object.keys(map ?? {}), random)) {
      const v = (map as Json)[id]
      out[ids.get(id) ?? fresh()] = each ? each(v) : v
    }
    return out
  }
  const pkgIds = remap(r['packages'] as Json)
  const distIds = remap(r['distributions'] as Json)
  const repoIds = remap(r['repository'] as Json)
  const vulnIds = remap(r['vulnerabilities'] as Json)
  const withId = (ids: Map<string, string>) => (v: unknown) => {
    const o = v as Json
    if (o && typeof o === 'object' && typeof o['id'] === 'string') o['id'] = ids.get(o['id']) ?? fresh()
    return o
  }
  if (r['packages'] !== undefined && r['packages'] !== null) {
    r['packages'] = rekey(r['packages'] as Json, pkgIds, (v) => {
      const p = withId(pkgIds)(v)
      const s = p['source'] as Json | undefined
      if (s && typeof s === 'object' && typeof s['id'] === 'string') s['id'] = pkgIds.get(s['id']) ?? fresh()
      toggleAll(p, ['cpe', 'normalized_version', 'module', 'arch', 'detector'], random)
      toggleAll(s, ['cpe', 'normalized_version', 'module', 'arch', 'kind'], random)
      return p
    })
  }
  if (r['distributions']) r['distributions'] = rekey(r['distributions'] as Json, distIds, withId(distIds))
  if (r['repository']) {
    r['repository'] = rekey(r['repository'] as Json, repoIds, (v) => {
      const o = withId(repoIds)(v)
      toggleAll(o, ['cpe', 'key', 'uri'], random)
      return o
    })
  }
  if (flip) toggle(r, 'repository', random)
  if (r['environments']) {
    r['environments'] = rekey(r['environments'] as Json, pkgIds, (list) =>
      shuffle(list as Json[], random).map((env) => {
        if (env['distribution_id'])
          env['distribution_id'] = distIds.get(env['distribution_id'] as string) ?? fresh()
        const rids = env['repository_ids'] as string[] | null | undefined
        if (rids && rids.length)
          env['repository_ids'] = shuffle(
            rids.map((id) => repoIds.get(id) ?? fresh()),
            random,
          )
        toggleAll(env, ['repository_ids', 'distribution_id'], random)
        return env
      }),
    )
  }
  if (r['vulnerabilities']) {
    r['vulnerabilities'] = rekey(r['vulnerabilities'] as Json, vulnIds, (v) => {
      const o = withId(vulnIds)(v)
      if (typeof o['issued'] === 'string' && /^0+(0|1)-/.test(o['issued'])) {
        o['issued'] = random() < 0.5 ? '0001-01-01T00:00:00Z' : '0000-12-31T18:09:24-05:50'
      }
      toggleAll(
        o,
        ['links', 'severity', 'fixed_in_version', 'range', 'arch_op', 'repository', 'distribution'],
        random,
      )
      toggleAll(o['package'], ['cpe', 'normalized_version', 'module', 'arch', 'kind'], random)
      return o
    })
  }
  if (r['package_vulnerabilities']) {
    r['package_vulnerabilities'] = rekey(r['package_vulnerabilities'] as Json, pkgIds, (list) =>
      shuffle(
        (list as string[]).map((id) => vulnIds.get(id) ?? fresh()),
        random,
      ),
    )
  }
  const enrichments = r['enrichments'] as Record<string, unknown[]> | undefined
  if (enrichments && typeof enrichments === 'object') {
    for (const type of Object.keys(enrichments)) {
      enrichments[type] = (enrichments[type] ?? []).map((item) =>
        item && typeof item === 'object' && !Array.isArray(item) ? rekey(item as Json, vulnIds) : item,
      )
    }
  }
  toggle(r, 'err', random)
  toggle(r, 'enrichments', random)
  // Reorder the top-level keys too.
  const out: Json = {}
  for (const k of shuffle(Object.keys(r), random)) out[k] = r[k]
  return out as T
}

/** Removes one package (by row id) from a report, with its environments and vulnerability matches. */
export function withoutPackage<T extends Report>(report: T, id: string): T {
  const r = structuredClone(report) as Json
  for (const field of ['packages', 'environments', 'package_vulnerabilities']) {
    const map = r[field] as Json | undefined
    if (map) delete map[id]
  }
  return r as T
}
