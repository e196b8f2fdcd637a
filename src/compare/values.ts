// Values as the compare sees them: everything whose presence depends on the Clair version (missing, "",
// null, [], {}) collapses to "", and fields whose encoding varies (issued, links, err) are normalised.

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

/** text(v), without the call for the usual case (a string). */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : text(v)
}

/** textOf(x) === textOf(y), without the calls when both are the same string. */
export function sameText(x: unknown, y: unknown): boolean {
  return x === y || textOf(x) === textOf(y)
}
