// How numbers and text read in gate details, the summary, annotations and the HTML report: one formatter
// per kind of value, so the value a gate shows and the one the summary prints are always the same string.

/** "1 manifest", "3 manifests", "2 dependencies"; pass `many` for an irregular plural. */
export function plural(n: number, one: string, many = regularPlural(one)): string {
  return `${n} ${n === 1 ? one : many}`
}

function regularPlural(noun: string): string {
  return /[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`
}

/** The size GitHub's limits count: UTF-8 bytes. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Milliseconds for people: "840 ms", "12.3 s", "4.5 min". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a'
  if (ms < 10) return `${round(ms, 1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${round(ms / 1000, ms < 10_000 ? 2 : 1)} s`
  return `${round(ms / 60_000, 1)} min`
}

/**
 * At most max characters, cut at a word boundary (never mid-word) and marked with an ellipsis; the full text is
 * shown elsewhere (a details block).
 */
export function truncateWords(text: string, max: number): string {
  const one = truncate(text, Number.MAX_SAFE_INTEGER)
  if (Array.from(one).length <= max) return one
  const head = Array.from(one)
    .slice(0, max - 1)
    .join('')
  // Drop the partial word, and an opening it leaves dangling: "… on 4 manifests (e.g." reads as cut.
  const cut = head.replace(/[\s,;:(—-]+\S*$/, '').replace(/[\s,;:]*(\((e\.g\.)?)?$/, '')
  return `${cut.length >= max / 2 ? cut : head}…`
}

/**
 * At most max characters on one line, cut in the middle at word boundaries: Go's wrapped errors ("failed to
 * start scan: failed to fetch layer: … 403 Forbidden") put the cause last, so a cut keeps both ends.
 */
export function truncateMiddle(text: string, max: number): string {
  const chars = Array.from(truncate(text, Number.MAX_SAFE_INTEGER))
  if (chars.length <= max) return chars.join('')
  // A third for where it starts, the rest for the cause at the end; ' … ' between them.
  const headMax = Math.floor((max - 3) / 3)
  const head = chars.slice(0, headMax).join('')
  const tail = chars.slice(chars.length - (max - 3 - headMax)).join('')
  const headCut = head.replace(/\s*\S*$/, '')
  const tailCut = tail.replace(/^\S*\s*/, '')
  const start = (headCut.length >= headMax / 2 ? headCut : head).trimEnd()
  const end = (tailCut.length >= tail.length / 2 ? tailCut : tail).trimStart()
  return `${start} … ${end}`
}

/**
 * A request's error message without the request it names ("canary GET /indexer/api/v1/index_report/…: "), where
 * the side and the operation are already shown: what is left is the answer and Clair's own text.
 */
export function requestErrorText(message: string): string {
  return message.replace(/^(?:canary|production) (?:GET|POST|DELETE) \S+: /, '')
}

/** A duration a person reads at a glance: "42s", "7m50s", "1h02m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

/** A canary/production ratio: "1.05×". */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a'
  return `${ratio >= 10 ? round(ratio, 1) : ratio.toFixed(2)}×`
}

/** A p-value the way papers print it: "p = 0.012", "p < 0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return 'p < 0.0001'
  return `p = ${p >= 0.01 ? p.toFixed(2) : p.toPrecision(2)}`
}

export function formatPercent(fraction: number): string {
  const pct = fraction * 100
  return `${pct === 0 || pct >= 10 ? Math.round(pct) : round(pct, 1)}%`
}

/**
 * What follows a manifest's digest when its repository is known: " in repository 3" (its opaque label) or, with
 * publish-repository-names, " in namespace/repository".
 */
export function inRepository(repository: string | undefined): string {
  return repository ? ` in ${repository}` : ''
}

/** "5 manifests", or "5 manifests from 1 repository" when the sample knew their repositories. */
export function manifestCount(manifests: number, repositories: number | undefined): string {
  return `${plural(manifests, 'manifest')}${repositories ? ` from ${plural(repositories, 'repository')}` : ''}`
}

/** A short digest for tables: "sha256:0123456789ab". Full digests are in the artifact. */
export function shortDigest(digest: string): string {
  const m = /^([a-z0-9]+):([0-9a-f]{12})[0-9a-f]*$/.exec(digest)
  return m ? `${m[1]}:${m[2]}` : digest
}

/**
 * One line of at most max characters (code points): newlines and other control characters become spaces
 * (keys and messages come from reports and may hold anything), a cut is marked with an ellipsis.
 */
export function truncate(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…'
}

function round(x: number, digits: number): string {
  return Number(x.toFixed(digits)).toString()
}
