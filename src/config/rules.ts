// The rules file: what differences to allow, and the gate thresholds. YAML, merged over DEFAULT_RULES.
//
//   ignoreDetector: true          # leave the package `detector` field out (default true)
//   byDesign:
//     allow: [added]              # changes allowed when the index states differ (default [added];
//                                 # removals are never by design unless listed here)
//   ignore:                       # always allowed; each needs a reason and at least one match field
//     - kind: package             # report: index|vulnerability
//       ecosystem: rhcc           # kind: state|distribution|package|repository|environment|vulnerability|enrichment
//       key: 'gpg-pubkey *'       # change: added|removed|changed
//       reason: not a real package # key, ecosystem, updater: globs where * matches any run of characters
//   expected:                     # like ignore, but only until `expires` (YYYY-MM-DD, inclusive);
//     - updater: osv/go           # after that the rule no longer applies and the summary says it expired
//       change: added
//       expires: 2026-12-31
//       reason: osv/go matcher gains pseudo-version support in this release
//   gates:                        # any subset; the rest keep their defaults
//     maxCanaryOnlyFailures: 0
//     maxCodeDifferences: { index: 0, vulnerability: 0 }
//     latency:
//       maxRatio: { p50: 1.25, p95: 1.5, p99: 2 }
//       alpha: 0.01
//       minEffect: 1.1
//       indexP95Ms: 120000
//       indexMaxMs: 300000
//     minCompared: 20
//     maxProductionErrorRate: 0.1
//     maxContractViolations: 0
//   signals:                      # read only with prometheus-url / alertmanager-url
//     selector: 'job="clair-canary"'  # the canary's series: $selector in queries
//     settleSeconds: 30            # wait this long after the replay before querying Prometheus
//     queries:                     # replaces the defaults (canary-5xx-ratio, canary-index-p95-seconds)
//       - name: canary-5xx-ratio
//         query: '…{code=~"5..",$selector}[$window]…'
//         max: 0.01                # or min:
//     alerts: { matchers: ['job="clair-canary"'], pollSeconds: 5 }
//
// Unknown keys, wrong types, bad dates and bad globs are errors: "<file>:<line>:<col>: <path> must be …".
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { Node, Pair } from 'yaml'
import { UserError } from '../errors.ts'
import { DEFAULT_RULES } from './default-rules.ts'
import type {
  ExpectedChange,
  GateThresholds,
  IgnoreRule,
  Match,
  PromQuery,
  Rules,
  SignalRules,
} from './types.ts'
import type { Change, DifferenceKind, ReportKind } from '../rundir/types.ts'

const REPORTS: readonly ReportKind[] = ['index', 'vulnerability']
const KINDS: readonly DifferenceKind[] = [
  'state',
  'distribution',
  'package',
  'repository',
  'environment',
  'vulnerability',
  'enrichment',
]
const CHANGES: readonly Change[] = ['added', 'removed', 'changed']

// ---------------------------------------------------------------------------------------------------------
// Parsing

class Reader {
  readonly file: string
  readonly lines: LineCounter
  constructor(file: string, lines: LineCounter) {
    this.file = file
    this.lines = lines
  }

  fail(node: Node | Pair | null | undefined, path: string, expected: string): never {
    const offset =
      (node && 'range' in node && node.range?.[0]) ||
      (node && 'key' in node && (node.key as Node)?.range?.[0]) ||
      0
    const { line, col } = this.lines.linePos(offset)
    throw new UserError(`${this.file}:${line}:${col}: ${path} must be ${expected}`)
  }

  /** The pairs of a mapping, rejecting keys not in `allowed`. */
  map(node: Node | null | undefined, path: string, allowed: readonly string[]): Map<string, Node | null> {
    if (!isMap(node)) this.fail(node, path || 'the rules file', 'a mapping')
    const out = new Map<string, Node | null>()
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined
      const where = path ? `${path}.${key}` : String(key)
      if (key === undefined || !allowed.includes(key)) {
        this.fail(pair.key as Node, where, `one of the known keys (${allowed.join(', ')}); unknown key`)
      }
      if (out.has(key)) this.fail(pair.key as Node, where, 'given once')
      out.set(key, (pair.value as Node | null) ?? null)
    }
    return out
  }

  seq(node: Node | null, path: string): Node[] {
    if (node === null || (isScalar(node) && node.value === null)) return []
    if (!isSeq(node)) this.fail(node, path, 'a list')
    return node.items as Node[]
  }

  number(
    node: Node | null,
    path: string,
    o: { min?: number; max?: number; above?: number; integer?: boolean },
  ): number {
    const v = isScalar(node) ? node.value : undefined
    const what = `${o.integer ? 'an integer' : 'a number'}${o.min !== undefined ? ` ≥ ${o.min}` : ''}${o.above !== undefined ? ` > ${o.above}` : ''}${o.max !== undefined ? ` ≤ ${o.max}` : ''}`
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(node, path, what)
    if (o.integer && !Number.isInteger(v)) this.fail(node, path, what)
    if (o.min !== undefined && v < o.min) this.fail(node, path, what)
    if (o.above !== undefined && v <= o.above) this.fail(node, path, what)
    if (o.max !== undefined && v > o.max) this.fail(node, path, what)
    return v
  }

  boolean(node: Node | null, path: string): boolean {
    const v = isScalar(node) ? node.value : undefined
    if (typeof v !== 'boolean') this.fail(node, path, 'true or false')
    return v
  }

  string(node: Node | null, path: string): string {
    const v = isScalar(node) ? node.value : undefined
    if (typeof v !== 'string' || v.trim() === '') this.fail(node, path, 'a non-empty string')
    return v
  }

  oneOf<T extends string>(node: Node | null, path: string, values: readonly T[]): T {
    const v = isScalar(node) ? node.value : undefined
    if (typeof v !== 'string' || !values.includes(v as T))
      this.fail(node, path, `one of ${values.join(', ')}`)
    return v as T
  }

  glob(node: Node | null, path: string): string {
    const v = isScalar(node) ? node.value : undefined
    const expected = 'a glob: a non-empty one-line string where * matches any run of characters'
    if (typeof v !== 'string' || v === '' || /[\r\n]/.test(v)) this.fail(node, path, expected)
    if (v.includes('**')) this.fail(node, path, `${expected} (write * once: it already spans '/')`)
    return v
  }

  date(node: Node | null, path: string): string {
    const v = isScalar(node) ? node.value : undefined
    const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null
    const ok =
      m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === v
    if (!ok) this.fail(node, path, 'a date written YYYY-MM-DD')
    return v
  }
}

const MATCH_KEYS = ['report', 'kind', 'change', 'key', 'ecosystem', 'updater'] as const

function readMatch(
  r: Reader,
  node: Node,
  path: string,
  extra: readonly string[],
): { match: Match; fields: Map<string, Node | null> } {
  const fields = r.map(node, path, [...MATCH_KEYS, ...extra])
  const match: Match = {}
  for (const [k, v] of fields) {
    const p = `${path}.${k}`
    if (k === 'report') match.report = r.oneOf(v, p, REPORTS)
    else if (k === 'kind') match.kind = r.oneOf(v, p, KINDS)
    else if (k === 'change') match.change = r.oneOf(v, p, CHANGES)
    else if (k === 'key' || k === 'ecosystem' || k === 'updater') match[k] = r.glob(v, p)
  }
  if (!MATCH_KEYS.some((k) => fields.has(k))) {
    r.fail(
      node,
      path,
      `a rule with at least one of ${MATCH_KEYS.join(', ')} (a rule matching everything hides every regression)`,
    )
  }
  return { match, fields }
}

function readGates(r: Reader, node: Node | null, defaults: GateThresholds): GateThresholds {
  const g = r.map(node, 'gates', [
    'maxCanaryOnlyFailures',
    'maxCodeDifferences',
    'latency',
    'minCompared',
    'maxProductionErrorRate',
    'maxContractViolations',
  ])
  const count = (k: string, fallback: number, path = `gates.${k}`, from = g): number =>
    from.has(k) ? r.number(from.get(k) ?? null, path, { min: 0, integer: true }) : fallback
  const out: GateThresholds = {
    maxCanaryOnlyFailures: count('maxCanaryOnlyFailures', defaults.maxCanaryOnlyFailures),
    maxCodeDifferences: { ...defaults.maxCodeDifferences },
    latency: { ...defaults.latency, maxRatio: { ...defaults.latency.maxRatio } },
    minCompared: count('minCompared', defaults.minCompared),
    maxProductionErrorRate: g.has('maxProductionErrorRate')
      ? r.number(g.get('maxProductionErrorRate') ?? null, 'gates.maxProductionErrorRate', { min: 0, max: 1 })
      : defaults.maxProductionErrorRate,
    maxContractViolations: count('maxContractViolations', defaults.maxContractViolations),
  }
  if (g.has('maxCodeDifferences')) {
    const m = r.map(g.get('maxCodeDifferences') ?? null, 'gates.maxCodeDifferences', [
      'index',
      'vulnerability',
    ])
    for (const k of ['index', 'vulnerability'] as const) {
      if (m.has(k)) out.maxCodeDifferences[k] = count(k, 0, `gates.maxCodeDifferences.${k}`, m)
    }
  }
  if (g.has('latency')) {
    const l = r.map(g.get('latency') ?? null, 'gates.latency', [
      'maxRatio',
      'alpha',
      'minEffect',
      'indexP95Ms',
      'indexMaxMs',
    ])
    const p = (k: string): string => `gates.latency.${k}`
    if (l.has('maxRatio')) {
      const m = r.map(l.get('maxRatio') ?? null, p('maxRatio'), ['p50', 'p95', 'p99'])
      for (const q of ['p50', 'p95', 'p99'] as const) {
        if (m.has(q))
          out.latency.maxRatio[q] = r.number(m.get(q) ?? null, `gates.latency.maxRatio.${q}`, { min: 1 })
      }
    }
    if (l.has('alpha'))
      out.latency.alpha = r.number(l.get('alpha') ?? null, p('alpha'), { above: 0, max: 0.5 })
    if (l.has('minEffect'))
      out.latency.minEffect = r.number(l.get('minEffect') ?? null, p('minEffect'), { min: 1 })
    for (const k of ['indexP95Ms', 'indexMaxMs'] as const) {
      if (l.has(k)) out.latency[k] = r.number(l.get(k) ?? null, p(k), { above: 0 })
    }
  }
  return out
}

const GATE_NAME = /^[a-z0-9][a-z0-9-]*$/

function readSignals(r: Reader, node: Node | null, defaults: SignalRules): SignalRules {
  const s = r.map(node, 'signals', ['selector', 'settleSeconds', 'queries', 'alerts'])
  const out: SignalRules = structuredClone(defaults)
  if (s.has('selector')) {
    const v = s.get('selector') ?? null
    const selector = isScalar(v) && v.value === '' ? '' : r.string(v, 'signals.selector')
    if (/^\s*\{|\}\s*$/.test(selector))
      r.fail(v, 'signals.selector', 'label matchers without braces, e.g. job="clair-canary"')
    out.selector = selector.trim().replace(/,$/, '')
  }
  if (s.has('settleSeconds'))
    out.settleSeconds = r.number(s.get('settleSeconds') ?? null, 'signals.settleSeconds', { min: 0 })
  if (s.has('queries')) {
    const names = new Set<string>()
    out.queries = r.seq(s.get('queries') ?? null, 'signals.queries').map((q, i): PromQuery => {
      const path = `signals.queries[${i}]`
      const f = r.map(q, path, ['name', 'query', 'max', 'min'])
      for (const k of ['name', 'query']) if (!f.has(k)) r.fail(q, `${path}.${k}`, 'given')
      const name = r.string(f.get('name') ?? null, `${path}.name`)
      if (!GATE_NAME.test(name) || names.has(name))
        r.fail(
          f.get('name') ?? null,
          `${path}.name`,
          'a unique gate name of lower-case letters, digits and -',
        )
      names.add(name)
      if (f.has('max') === f.has('min')) r.fail(q, path, 'a query with exactly one of max and min')
      const bound = f.has('max') ? 'max' : 'min'
      return {
        name,
        query: r.string(f.get('query') ?? null, `${path}.query`),
        [bound]: r.number(f.get(bound) ?? null, `${path}.${bound}`, {}),
      }
    })
  }
  if (s.has('alerts')) {
    const a = r.map(s.get('alerts') ?? null, 'signals.alerts', ['matchers', 'pollSeconds'])
    if (a.has('matchers')) {
      out.alerts.matchers = r
        .seq(a.get('matchers') ?? null, 'signals.alerts.matchers')
        .map((m, i) => r.string(m, `signals.alerts.matchers[${i}]`))
      if (out.alerts.matchers.length === 0)
        r.fail(
          a.get('matchers') ?? null,
          'signals.alerts.matchers',
          'at least one matcher (an empty list matches every alert)',
        )
    }
    if (a.has('pollSeconds'))
      out.alerts.pollSeconds = r.number(a.get('pollSeconds') ?? null, 'signals.alerts.pollSeconds', {
        above: 0,
      })
  }
  return out
}

/** Parses a rules file (YAML) over DEFAULT_RULES. Throws UserError naming file:line:col and the path. */
export function parseRules(text: string, file: string): Rules {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const r = new Reader(file, lines)
  const problem = doc.errors[0]
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0])
    throw new UserError(`${file}:${line}:${col}: not valid YAML (${problem.message.split('\n')[0]})`)
  }
  const root = doc.contents as Node | null
  if (root === null || (isScalar(root) && root.value === null)) return structuredClone(DEFAULT_RULES)
  const top = r.map(root, '', ['ignoreDetector', 'byDesign', 'ignore', 'expected', 'gates', 'signals'])
  const rules: Rules = structuredClone(DEFAULT_RULES)

  if (top.has('ignoreDetector'))
    rules.ignoreDetector = r.boolean(top.get('ignoreDetector') ?? null, 'ignoreDetector')
  if (top.has('byDesign')) {
    const b = r.map(top.get('byDesign') ?? null, 'byDesign', ['allow'])
    if (b.has('allow')) {
      rules.byDesign.allow = [
        ...new Set(
          r
            .seq(b.get('allow') ?? null, 'byDesign.allow')
            .map((n, i) => r.oneOf(n, `byDesign.allow[${i}]`, CHANGES)),
        ),
      ]
    }
  }
  rules.ignore = r.seq(top.get('ignore') ?? null, 'ignore').map((node, i): IgnoreRule => {
    const path = `ignore[${i}]`
    const { match, fields } = readMatch(r, node, path, ['reason'])
    if (!fields.has('reason')) r.fail(node, `${path}.reason`, 'given (say why this difference is fine)')
    return { ...match, reason: r.string(fields.get('reason') ?? null, `${path}.reason`) }
  })
  rules.expected = r.seq(top.get('expected') ?? null, 'expected').map((node, i): ExpectedChange => {
    const path = `expected[${i}]`
    const { match, fields } = readMatch(r, node, path, ['reason', 'expires'])
    if (!fields.has('reason')) r.fail(node, `${path}.reason`, 'given (say why this change is expected)')
    if (!fields.has('expires')) r.fail(node, `${path}.expires`, 'given (a date written YYYY-MM-DD)')
    return {
      ...match,
      reason: r.string(fields.get('reason') ?? null, `${path}.reason`),
      expires: r.date(fields.get('expires') ?? null, `${path}.expires`),
    }
  })
  if (top.has('gates')) rules.gates = readGates(r, top.get('gates') ?? null, DEFAULT_RULES.gates)
  if (top.has('signals')) rules.signals = readSignals(r, top.get('signals') ?? null, DEFAULT_RULES.signals)
  return rules
}
