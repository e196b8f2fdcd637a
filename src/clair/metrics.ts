// Reading Clair's introspection /metrics (Prometheus text exposition format 0.0.4, FACTS 3.3): which build
// is running (clair_cmd_version_info) and the HTTP request counters, to compare error rates before and
// after a replay.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface VersionInfo {
  version?: string
  /** vcs.revision: the commit the binary was built from. */
  revision?: string
  claircore_version?: string
  goversion?: string
  /** vcs.modified: "true" when built from a dirty tree. */
  modified?: string
}

/** Every sample in an exposition; lines that do not parse are skipped (metrics are "not API"). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    const sample = parseLine(line)
    if (sample) samples.push(sample)
  }
  return samples
}

/** Labels of clair_cmd_version_info, or undefined when the gauge is absent. */
export function parseVersionInfo(text: string): VersionInfo | undefined {
  const sample = samplesNamed(text, 'clair_cmd_version_info')[0]
  if (!sample) return undefined
  const info: VersionInfo = {}
  for (const key of ['version', 'revision', 'claircore_version', 'goversion', 'modified'] as const) {
    const value = sample.labels[key]
    if (value !== undefined && value !== '') info[key] = value
  }
  return info
}

/** The shortest commit prefix expect-revision accepts, on either side (git's own default abbreviation). */
export const MIN_COMMIT_PREFIX = 7

export type RevisionMatch =
  { match: true; commit: string } | { match: false; commit?: string; why: string; final?: boolean }

/**
 * The commit a Clair build names, from clair_cmd_version_info as cmd/build.go sets it: `revision` is the full
 * vcs.revision of a build in a git checkout, or `<short sha> (<ISO date>)` in a release archive (git-export); a Go
 * module-proxy build leaves the `$Format:%h (%cI)$` placeholder and version "(random source build)", which
 * carries no commit at all. `version` may say `rev <sha>` when the revision label is empty.
 */
export function servedCommit(info: VersionInfo | undefined): string | undefined {
  for (const text of [info?.revision, /^rev ([0-9a-f]+)/i.exec(info?.version ?? '')?.[1]]) {
    const m = /^([0-9a-f]{7,64})(?: \(.*\))?$/i.exec(text?.trim() ?? '')
    if (m) return (m[1] as string).toLowerCase()
  }
  return undefined
}

/** Does the canary serve `expected`? Commit prefixes match either way, each at least MIN_COMMIT_PREFIX long. */
export function matchRevision(expected: string, info: VersionInfo | undefined): RevisionMatch {
  const want = expected.toLowerCase()
  const commit = servedCommit(info)
  if (!commit) {
    if (info?.revision?.startsWith('$Format') || info?.version === '(random source build)')
      return {
        match: false,
        final: true,
        why: `the canary's build carries no commit (revision ${JSON.stringify(info?.revision ?? '')}, version ${JSON.stringify(info?.version ?? '')}: a build from the Go module proxy), so expect-revision cannot be checked; deploy a build from a git checkout or a release archive, or drop expect-revision`,
      }
    return {
      match: false,
      why: `it serves no recognisable revision (${JSON.stringify(info?.revision ?? 'none')})`,
    }
  }
  const ok =
    Math.min(commit.length, want.length) >= MIN_COMMIT_PREFIX &&
    (commit.startsWith(want) || want.startsWith(commit))
  return ok
    ? { match: true, commit }
    : { match: false, commit, why: `it serves revision ${commit}, expected ${want}` }
}

function samplesNamed(text: string, metric: string): Sample[] {
  // Cheap pre-filter: /metrics is large and we usually want one family.
  return parseSamples(
    text
      .split('\n')
      .filter((line) => line.includes(metric))
      .join('\n'),
  ).filter((s) => s.name === metric)
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/

// One sample line: name{l="v",...} value [timestamp]. Also accepts the UTF-8 form {"name",l="v"}.
function parseLine(raw: string): Sample | undefined {
  const line = raw.trim()
  if (line === '' || line.startsWith('#')) return undefined
  let rest = line
  let name = ''
  const bare = NAME.exec(rest)
  if (bare) {
    name = bare[0]
    rest = rest.slice(name.length)
  }
  const labels: Record<string, string> = {}
  rest = rest.trimStart()
  if (rest.startsWith('{')) {
    rest = rest.slice(1)
    for (;;) {
      rest = rest.trimStart()
      if (rest.startsWith('}')) {
        rest = rest.slice(1)
        break
      }
      let key: string
      if (rest.startsWith('"')) {
        const quoted = readQuoted(rest)
        if (!quoted) return undefined
        key = quoted.value
        rest = quoted.rest.trimStart()
        if (!rest.startsWith('=')) {
          // A quoted string without `=` is the metric name.
          if (name !== '') return undefined
          name = key
          const next = skipComma(rest)
          if (next === undefined) return undefined
          rest = next
          continue
        }
      } else {
        const m = LABEL_NAME.exec(rest)
        if (!m) return undefined
        key = m[0]
        rest = rest.slice(key.length).trimStart()
      }
      if (!rest.startsWith('=')) return undefined
      const value = readQuoted(rest.slice(1).trimStart())
      if (!value) return undefined
      labels[key] = value.value
      const next = skipComma(value.rest)
      if (next === undefined) return undefined
      rest = next
    }
  }
  if (name === '') return undefined
  const [valueText] = rest.trim().split(/\s+/)
  const value = parseValue(valueText)
  if (value === undefined) return undefined
  return { name, labels, value }
}

function skipComma(text: string): string | undefined {
  const rest = text.trimStart()
  if (rest.startsWith(',')) return rest.slice(1)
  if (rest.startsWith('}')) return rest
  return undefined
}

function readQuoted(text: string): { value: string; rest: string } | undefined {
  if (!text.startsWith('"')) return undefined
  let value = ''
  for (let i = 1; i < text.length; i++) {
    const c = text[i]
    if (c === '"') return { value, rest: text.slice(i + 1) }
    if (c === '\\') {
      const next = text[++i]
      if (next === 'n') value += '\n'
      else if (next === '\\' || next === '"') value += next
      else value += '\\' + (next ?? '')
    } else value += c
  }
  return undefined
}

function parseValue(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  if (text === '+Inf' || text === 'Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (text === 'NaN') return NaN
  const value = Number(text)
  return Number.isNaN(value) ? undefined : value
}
