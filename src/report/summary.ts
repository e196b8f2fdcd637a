// summary.md: what the check run and the job summary show. The story a maintainer gets in ten seconds:
// the verdict and why, every gate with the number that decided it, the differences by cause (code first,
// drift explained as drift), errors, latency, what was exercised, how the two sides differ, and where the
// full results are. Pure: result + run in, markdown out.
import type {
  Aggregates,
  Attribution,
  DifferenceGroup,
  Gate,
  LatencyFigures,
  PairedLatency,
  Result,
  RunInfo,
  SideInfo,
} from '../rundir/types.ts'
import { ATTRIBUTIONS, CAUSE, CAUSE_WHY, describeGroup, updatersOf } from '../judge/differences.ts'
import {
  formatDuration,
  formatMs,
  formatRatio,
  inRepository,
  manifestCount,
  plural,
  requestErrorText,
  shortDigest,
  truncateMiddle,
  truncateWords,
  utf8Bytes,
} from '../format.ts'
import { DECISION_MARK, VERDICT_ANSWER } from './console.ts'
import { code, codeCell, table, text } from './markdown.ts'
import { trendOf } from './trend.ts'
import { NIGHTS_GATE, noisyRuleYaml } from '../history/baseline.ts'

export type SummaryDetail = 'full' | 'top' | 'counts'

export interface SummaryOptions {
  /** Budget in UTF-8 bytes (default 65,535: a check run's output.summary; a job summary allows 1 MiB). */
  maxBytes?: number
  /** The most detail to try; less is used when it does not fit. */
  detail?: SummaryDetail
  artifactUrl?: string
  reportUrl?: string
}

export const DEFAULT_SUMMARY_BYTES = 65_535
const LEVELS: readonly SummaryDetail[] = ['full', 'top', 'counts']
const EXAMPLES = { full: 5, top: 3 } as const
const TOP_GROUPS = 10
const TOP_EXAMPLE_GROUPS = 3
const TOP_ERRORS = 10
const COVERAGE_ITEMS = 20
const KEY_CHARS = 160
const VALUE_CHARS = 80

export function renderSummary(result: Result, run: RunInfo, opts: SummaryOptions = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_SUMMARY_BYTES
  const first = LEVELS.indexOf(opts.detail ?? 'full')
  for (const level of LEVELS.slice(first)) {
    const markdown = render(result, run, opts, level, level !== LEVELS[first] ? maxBytes : null)
    if (utf8Bytes(markdown) <= maxBytes) return markdown
  }
  return minimal(result, run, opts, maxBytes)
}

// --- Levels ------------------------------------------------------------------------------------------

function render(
  result: Result,
  run: RunInfo,
  opts: SummaryOptions,
  level: SummaryDetail,
  shortenedTo: number | null,
): string {
  const a = result.aggregates
  const sections: string[] = [headline(result, run)]
  if (shortenedTo !== null)
    sections.push(
      `_Shortened to fit ${shortenedTo.toLocaleString('en-US')} bytes (detail: ${level}); every table and example is in the artifact._`,
    )
  // The evidence that decided comes first (reasons, then the gates), what to do next right after; the rest
  // (every difference, errors, latency, coverage, sides) is there to dig into.
  sections.push(reasonsSection(result.reasons))
  sections.push(gatesSection(result.gates, level))
  if (level !== 'counts') sections.push(whatNextSection(result, run, opts))
  if (level === 'counts') {
    sections.push(countsSection(result))
  } else {
    sections.push(differencesSection(a.differences, result, level))
    sections.push(errorsSection(a, level))
    sections.push(latencySection(a.latency))
    sections.push(historySection(result, run, level))
    if (level === 'full') {
      sections.push(coverageSection(a))
      sections.push(sidesSection(run))
    }
  }
  sections.push(pointer(opts))
  return sections.filter((s) => s !== '').join('\n\n') + '\n'
}

/** The last resort: headline, as many reasons as fit, the pointer. Never cuts inside a line. */
function minimal(result: Result, run: RunInfo, opts: SummaryOptions, maxBytes: number): string {
  const head = `${headline(result, run)}\n\n_Shortened to fit ${maxBytes.toLocaleString('en-US')} bytes; the full results are in the artifact._\n\n`
  const tail = `\n${pointer(opts)}\n`
  let body = ''
  let shown = 0
  for (const reason of result.reasons) {
    const line = `- ${text(reason, 300)}\n`
    const more = result.reasons.length - shown - 1
    const note = more > 0 ? `- … ${plural(more, 'more reason')} in result.json\n` : ''
    if (utf8Bytes(head + body + line + note + tail) > maxBytes) break
    body += line
    shown++
  }
  if (shown < result.reasons.length)
    body += `- … ${plural(result.reasons.length - shown, 'more reason')} in result.json\n`
  return head + body + tail
}

// --- Sections ----------------------------------------------------------------------------------------

const VERDICT_WORD = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const

function headline(result: Result, run: RunInfo): string {
  const c = result.counts
  const failed = result.gates.filter((g) => g.decision === 'fail').length
  const inconclusive = result.gates.filter((g) => g.decision === 'inconclusive').length
  const notJudged = result.gates.filter((g) => g.decision === 'not-judged').length
  const gateLine =
    result.verdict === 'fail'
      ? `${failed} of ${plural(result.gates.length, 'gate')} failed`
      : result.verdict === 'inconclusive'
        ? `not enough evidence: ${inconclusive} of ${plural(result.gates.length, 'gate')} inconclusive`
        : notJudged > 0
          ? `all ${plural(result.gates.length - notJudged, 'judged gate')} passed, ${notJudged} not judged`
          : `all ${plural(result.gates.length, 'gate')} passed`
  const requested = run.sample.requested !== c.manifests ? ` (${run.sample.requested} requested)` : ''
  const shard = run.shard ? ` · shard ${run.shard.index + 1} of ${run.shard.total}` : ''
  return [
    `## ${DECISION_MARK[result.verdict]} clair-canary: ${VERDICT_WORD[result.verdict]} — ${VERDICT_ANSWER[result.verdict]}`,
    '',
    `**${VERDICT_WORD[result.verdict]}**: ${gateLine}. ${plural(c.manifests, 'manifest')}${requested}, ` +
      `${c.compared} compared, ${c.different} with differences, ${c.errors} with errors.`,
    `Canary ${sideName(run.sides.canary)} vs production ${sideName(run.sides.production)} · ` +
      `${when(run)}${shard} · ${text(run.tool.name)} ${text(run.tool.version)}`,
  ].join('\n')
}

/** "ran 7m50s on 2026-03-02": a duration and a day, not a timestamp to subtract in one's head. */
function when(run: RunInfo): string {
  const day = text(run.started_at.slice(0, 10))
  const started = Date.parse(run.started_at)
  const finished = run.finished_at ? Date.parse(run.finished_at) : Number.NaN
  return Number.isFinite(finished - started)
    ? `ran ${formatDuration(finished - started)} on ${day}`
    : `started on ${day}`
}

function sideName(side: SideInfo): string {
  const v = side.version
  const name = v?.version ?? (v?.revision ? v.revision.slice(0, 12) : undefined)
  return name ? code(name, 40) : text(side.url, 80)
}

function reasonsSection(reasons: string[]): string {
  if (reasons.length === 0) return ''
  return ['### Why', '', ...reasons.map((r) => `- ${text(r)}`)].join('\n')
}

const DECISION_CELL = {
  pass: `${DECISION_MARK.pass} pass`,
  fail: `${DECISION_MARK.fail} **fail**`,
  inconclusive: `${DECISION_MARK.inconclusive} *inconclusive*`,
  'not-judged': `${DECISION_MARK['not-judged']} not judged`,
} as const
/** A gate's why in the table, cut at a word; the full text follows in a details block. */
const WHY_CHARS = 140

function gatesSection(gates: Gate[], level: SummaryDetail): string {
  const shown = level === 'top' ? gates.filter((g) => g.decision !== 'pass') : gates
  const passed = gates.filter((g) => g.decision === 'pass').map((g) => g.name)
  const withWhy = level !== 'counts'
  const header = withWhy
    ? ['Gate', 'Value', 'Threshold', 'Decision', 'Why']
    : ['Gate', 'Value', 'Threshold', 'Decision']
  const rows = shown.map((g) => {
    const row = [code(g.name), text(formatValue(g.value)), text(g.threshold), DECISION_CELL[g.decision]]
    return withWhy ? [...row, text(truncateWords(g.detail, WHY_CHARS))] : row
  })
  const parts = ['### Gates']
  if (rows.length > 0) parts.push(table(header, rows, ['l', 'r', 'l', 'l', 'l']))
  if (shown.length < gates.length) parts.push(`Passed: ${passed.map((n) => code(n)).join(', ')}.`)
  const cut = withWhy ? shown.filter((g) => truncateWords(g.detail, WHY_CHARS) !== g.detail) : []
  if (cut.length > 0)
    parts.push(
      `<details><summary>Every gate's why, in full</summary>\n\n${cut
        .map((g) => `- ${DECISION_MARK[g.decision]} ${code(g.name)}: ${text(g.detail)}`)
        .join('\n')}\n\n</details>`,
    )
  return parts.join('\n\n')
}

/** The rules a maintainer may want to add, and how to judge the run again with them. */
function whatNextSection(result: Result, run: RunInfo, opts: SummaryOptions): string {
  const rules = expectedRulesYaml(result, run)
  const lines = ['### What next', '']
  if (rules) {
    lines.push(
      '- **If these changes are intended**, add them to the rules file as expected changes (they expire, so ' +
        'they never hide a later regression), then re-judge:',
      '',
      '```yaml',
      rules,
      '```',
      '',
    )
  } else if (result.verdict === 'inconclusive') {
    lines.push(
      '- **Inconclusive is not a pass**: fix what the reasons above name (the canary, production or the ' +
        'sample), then re-run the job.',
    )
  } else if (result.verdict === 'fail') {
    lines.push('- **Look at the failing gates above** before re-running: the canary failed on evidence.')
  } else {
    lines.push(`- ${passNextStep(result)}`)
  }
  lines.push(
    `- **Re-judge this run** (new rules, same reports): download the run directory artifact and run ` +
      `\`${REJUDGE_COMMAND}\`.`,
  )
  const links: string[] = []
  if (opts.reportUrl) links.push(`[report.html](${safeUrl(opts.reportUrl)})`)
  if (opts.artifactUrl) links.push(`[the run directory](${safeUrl(opts.artifactUrl)})`)
  if (links.length > 0) lines.push(`- **Every difference and request**: ${links.join(' · ')}.`)
  return lines.join('\n')
}

/** What a passing run asks of its reader; a gate left not judged is named, never counted as passed (shared with report.html). */
export function passNextStep(result: Result): string {
  const notJudged = result.gates.filter((g) => g.decision === 'not-judged').map((g) => g.name)
  return notJudged.length === 0
    ? 'Nothing to do: every gate passed on evidence.'
    : `Nothing to do: every judged gate passed on evidence (not judged: ${notJudged.join(', ')}; the reasons say why).`
}

/** The `expected:` YAML for the top code causes of a failing run, or undefined (shared with report.html). */
export function expectedRulesYaml(result: Result, run: RunInfo): string | undefined {
  const code_ = result.aggregates.differences.filter((g) => g.attribution === 'code')
  if (result.verdict !== 'fail' || code_.length === 0) return undefined
  return ['expected:', ...code_.slice(0, 3).flatMap((g) => expectedRule(g, run))].join('\n')
}

/** How to judge a run again from its downloaded run directory. */
export const REJUDGE_COMMAND =
  'clair-canary compare --baseline clair-canary-run --out rejudged --rules <rules file>'

/** A ready-to-paste `expected:` entry for one group of code differences, expiring in 30 days. */
function expectedRule(g: DifferenceGroup, run: RunInfo): string[] {
  const started = Date.parse(run.started_at)
  const expires = new Date((Number.isFinite(started) ? started : 0) + 30 * 86_400_000)
    .toISOString()
    .slice(0, 10)
  return [
    `  - report: ${g.report}`,
    `    kind: ${g.kind}`,
    `    change: ${g.change}`,
    ...(g.ecosystem ? [`    ecosystem: ${g.ecosystem}`] : []),
    `    expires: ${expires}`,
    `    reason: ${JSON.stringify(`why ${describeGroup(g)} is intended (${g.manifests} manifests in this run)`)}`,
  ]
}

function formatValue(value: Gate['value']): string {
  if (value === null) return 'n/a'
  return typeof value === 'number' ? value.toLocaleString('en-US') : value
}

/** The cause in a table cell: a code change stands out. */
function causeCell(attribution: Attribution): string {
  return attribution === 'code' ? `**${CAUSE.code}**` : CAUSE[attribution]
}

function differencesSection(groups: DifferenceGroup[], result: Result, level: 'full' | 'top'): string {
  if (groups.length === 0)
    return '### Differences by cause\n\nNo differences between the canary and production.'
  const c = result.counts
  const byCause = ATTRIBUTIONS.filter((k) => c[k] > 0)
    .map((k) => `${CAUSE[k]} ${c[k].toLocaleString('en-US')}`)
    .join(', ')
  const shown = level === 'top' ? groups.slice(0, TOP_GROUPS) : groups
  const rows = shown.map((g) => [
    causeCell(g.attribution),
    g.report,
    text(describeGroup(g)),
    `${g.manifests.toLocaleString('en-US')}${g.repositories ? ` (${plural(g.repositories, 'repository')})` : ''}`,
    g.differences.toLocaleString('en-US'),
    text(groupWhy(g), 160),
  ])
  const parts = [
    '### Differences by cause',
    `${plural(c.different, 'manifest')} ${c.different === 1 ? 'differs' : 'differ'}; differences by cause: ${byCause}.`,
    ...groupTable(
      ['Cause', 'Report', 'What', 'Manifests', 'Differences', 'Why'],
      rows,
      groups.length,
      'group',
    ),
  ]

  const exampleGroups =
    level === 'top' ? groups.filter((g) => g.attribution === 'code').slice(0, TOP_EXAMPLE_GROUPS) : groups
  for (const g of exampleGroups) {
    const examples = g.examples.slice(0, EXAMPLES[level])
    if (examples.length === 0) continue
    const title = `${CAUSE[g.attribution]}: ${describeGroup(g)} (${g.report} report, ${manifestCount(g.manifests, g.repositories)})`
    const body = table(
      ['Manifest', 'Key', 'Production', 'Canary'],
      examples.map((e) => [
        `${codeCell(shortDigest(e.digest))}${text(inRepository(e.repository))}`,
        codeCell(e.key, KEY_CHARS),
        valueCell(e.before),
        valueCell(e.after),
      ]),
    )
    // Code changes are shown open; explained ones fold away so the page stays about what matters.
    parts.push(
      g.attribution === 'code'
        ? `#### ${text(title)}\n\n${body}`
        : `<details><summary>${text(title)}</summary>\n\n${body}\n\n</details>`,
    )
  }
  return parts.join('\n\n')
}

function groupWhy(g: DifferenceGroup): string {
  if (g.attribution === 'drift' && g.updaters.length > 0)
    return `${updatersOf([g])}: fingerprints differ; not a code change`
  return g.why ?? CAUSE_WHY[g.attribution]
}

function valueCell(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return codeCell(value, VALUE_CHARS)
  if (typeof value === 'number' || typeof value === 'boolean') return codeCell(String(value))
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>
    if (typeof o['name'] === 'string' && typeof o['version'] === 'string')
      return codeCell(`${o['name']} ${o['version']}`, VALUE_CHARS)
  }
  return codeCell(JSON.stringify(value) ?? 'undefined', VALUE_CHARS)
}

function errorsSection(a: Aggregates, level: 'full' | 'top'): string {
  const errors = a.errors
  if (errors.length === 0) return '### Errors\n\nNo request failed.'
  const shown = level === 'top' ? errors.slice(0, TOP_ERRORS) : errors
  const rows = shown.map((e) => [
    e.side,
    code(e.op),
    code(e.class),
    e.requests.toLocaleString('en-US'),
    e.manifests.toLocaleString('en-US'),
    `${codeCell(shortDigest(e.example.digest))}${text(inRepository(e.example.repository))} ${e.example.status ?? 'no response'}${
      e.example.message ? `: ${text(truncateMiddle(requestErrorText(e.example.message), 120))}` : ''
    }`,
  ])
  return [
    '### Errors',
    ...groupTable(
      ['Side', 'Operation', 'Class', 'Requests', 'Manifests', 'Example'],
      rows,
      errors.length,
      'error group',
    ),
  ].join('\n\n')
}

/**
 * A table of groups (three name columns, two counts, an example or why), and a line saying how many more
 * result.json holds when only some are shown.
 */
function groupTable(header: string[], rows: string[][], total: number, noun: string): string[] {
  const parts = [table(header, rows, ['l', 'l', 'l', 'r', 'r', 'l'])]
  if (rows.length < total) parts.push(`… and ${plural(total - rows.length, `more ${noun}`)} in result.json.`)
  return parts
}

function latencySection(latency: Aggregates['latency']): string {
  const requests = latency.requests
  const paired = latency.vulnerabilityReport
  if (requests.length === 0 && !paired) return ''
  const rows: string[][] = []
  if (paired) rows.push(pairedRow(paired))
  for (const op of ['index', 'index_report', 'delete_index_report', 'vulnerability_report'] as const) {
    const canary = requests.find((r) => r.op === op && r.side === 'canary')
    const production = requests.find((r) => r.op === op && r.side === 'production')
    if (!canary && !production) continue
    rows.push(
      figuresRow(op === 'vulnerability_report' ? `${code(op)} (all reads)` : code(op), canary, production),
    )
  }
  const note = paired
    ? `Cells read canary / production (ratio). The paired row compares the same manifests read from both sides and is what the vulnerability-report-latency gate decided on; the other rows include failed requests. Median paired ratio ${formatRatio(paired.medianRatio)}.`
    : 'Cells read canary / production (ratio); failed requests included.'
  return [
    '### Latency',
    table(['Operation', 'Requests', 'p50', 'p95', 'p99', 'max'], rows, ['l', 'r', 'r', 'r', 'r', 'r']),
    note,
  ].join('\n\n')
}

function pairedRow(p: PairedLatency): string[] {
  const cell = (q: 'p50' | 'p95' | 'p99') =>
    `${formatMs(p.canary[q])} / ${formatMs(p.production[q])} (${formatRatio(p.ratios[q])})`
  return [
    `${code('vulnerability_report')} (paired)`,
    `${p.pairs.toLocaleString('en-US')} pairs`,
    cell('p50'),
    cell('p95'),
    cell('p99'),
    `${formatMs(p.canary.max)} / ${formatMs(p.production.max)}`,
  ]
}

function figuresRow(op: string, c: LatencyFigures | undefined, p: LatencyFigures | undefined): string[] {
  const cell = (q: 'p50' | 'p95' | 'p99' | 'max') => {
    if (c && p)
      return `${formatMs(c[q])} / ${formatMs(p[q])}${q === 'max' ? '' : ` (${formatRatio(c[q] / p[q])})`}`
    return c ? `${formatMs(c[q])} / —` : `— / ${formatMs(p![q])}`
  }
  const count = `${c?.count ?? 0} / ${p?.count ?? 0}`
  return [op, count, cell('p50'), cell('p95'), cell('p99'), cell('max')]
}

const TREND_VERDICT = { pass: '✅ pass', fail: '❌ fail', inconclusive: '⚠️ inconclusive' } as const

/** This run beside the earlier runs of its branch, and the fields learned as noisy with the rule to allow them. */
function historySection(result: Result, run: RunInfo, level: 'full' | 'top'): string {
  const trend = trendOf(result, run)
  if (!trend) return ''
  const rows = (level === 'full' ? trend.rows : trend.rows.slice(0, 6)).map((r) => [
    r.when === 'this run' ? '**this run**' : text(r.when),
    r.commit ? code(r.commit.slice(0, 7)) : '',
    text(r.event),
    TREND_VERDICT[r.verdict],
    ...ATTRIBUTIONS.map((x) => String(r.differences[x])),
    r.canaryIndex ? `${formatMs(r.canaryIndex.p50)} / ${formatMs(r.canaryIndex.p95)}` : '—',
  ])
  const parts = [
    `### History (${plural(trend.rows.length - 1, 'earlier run')} on ${code(trend.branch)})`,
    table(
      [
        'Run',
        'Commit',
        'Event',
        'Verdict',
        'Code',
        'Drift',
        'By design',
        'Noise',
        'Allowed',
        'Canary index p50 / p95',
      ],
      rows,
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    trend.unavailable !== undefined
      ? `No earlier run could be read: ${text(trend.unavailable)}. Gate ${code(NIGHTS_GATE)} is not judged; the rest of the verdict stands.`
      : `Differences by cause per run. Baseline of gate ${code(NIGHTS_GATE)} (scheduled runs, the last ` +
        `${trend.depth} at most): ${text(trend.baseline)}.`,
  ]
  if (trend.noisy.length > 0) {
    parts.push(
      `**Noisy fields**: ${plural(trend.noisy.length, 'kind')} of difference came back night after night without ` +
        'a code change. They are still judged; if they are noise, a rule like this allows them:',
    )
    parts.push(
      trend.noisy
        .slice(0, level === 'full' ? 10 : 3)
        .map(
          (f) =>
            `- ${text(f.text)}: ${f.nights} of ${plural(f.of, 'night')} (${f.unchanged} without a code change)`,
        )
        .join('\n'),
    )
    parts.push(['```yaml', 'ignore:', ...trend.noisy.slice(0, 3).flatMap(noisyRuleYaml), '```'].join('\n'))
  }
  return parts.join('\n\n')
}

function coverageSection(a: Aggregates): string {
  const coverage = a.coverage
  const lines = ['### Coverage']
  if (!coverage) {
    lines.push('Coverage was not recorded.')
  } else {
    lines.push(
      [
        `- **Manifests compared**: ${coverage.manifests.toLocaleString('en-US')}`,
        `- **Distributions**: ${countList(coverage.distributions)}`,
        `- **Ecosystems**: ${countList(coverage.ecosystems)}`,
        `- **Updaters**: ${countList(coverage.updaters)}`,
      ].join('\n'),
    )
  }
  if (a.newFields.length > 0)
    lines.push(`New fields seen, not compared: ${a.newFields.map((f) => code(f, 60)).join(', ')}.`)
  return lines.join('\n\n')
}

function countList(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
  if (entries.length === 0) return 'none'
  const shown = entries
    .slice(0, COVERAGE_ITEMS)
    .map(([k, n]) => `${text(k, 60)} (${n.toLocaleString('en-US')})`)
  const more = entries.length > COVERAGE_ITEMS ? ` and ${entries.length - COVERAGE_ITEMS} more` : ''
  return `${shown.join(', ')}${more}`
}

function sidesSection(run: RunInfo): string {
  const { canary, production } = run.sides
  const row = (label: string, c: string | undefined, p: string | undefined, differs = false) => [
    label,
    c ? codeCell(c, 80) : '—',
    p ? codeCell(p, 80) : '—',
    differs && c !== undefined && p !== undefined && c !== p ? '**differs**' : '',
  ]
  const rows = [
    row('API', canary.url, production.url),
    row('Index state', canary.index_state, production.index_state, true),
    row('Version', canary.version?.version, production.version?.version),
    row('Revision', canary.version?.revision, production.version?.revision),
    row('claircore', canary.version?.claircore_version, production.version?.claircore_version),
  ]
  const parts = ['### Sides', table(['', 'Canary', 'Production', ''], rows)]
  const drift = fingerprintDifferences(canary.updaters, production.updaters)
  const enrichers = fingerprintDifferences(canary.enrichers, production.enrichers)
  if (drift.length > 0)
    parts.push(
      `Updaters whose fingerprints differ (their vulnerability differences count as drift): ${drift.join(', ')}.`,
    )
  else if (canary.updaters && production.updaters)
    parts.push('Every updater has the same fingerprint on both sides.')
  if (enrichers.length > 0) parts.push(`Enrichers whose fingerprints differ: ${enrichers.join(', ')}.`)
  if (canary.index_state && production.index_state && canary.index_state !== production.index_state)
    parts.push(
      'The index states differ: the scanner set or versions changed, so some index differences are by design.',
    )
  return parts.join('\n\n')
}

function fingerprintDifferences(
  canary: SideInfo['updaters'] | undefined,
  production: SideInfo['updaters'] | undefined,
): string[] {
  if (!canary || !production) return []
  const names = [...new Set([...Object.keys(canary), ...Object.keys(production)])].sort()
  const out: string[] = []
  for (const name of names) {
    const c = canary[name]
    const p = production[name]
    if (c?.fingerprint === p?.fingerprint) continue
    const gap = Date.parse(c?.date ?? '') - Date.parse(p?.date ?? '')
    const when = Number.isFinite(gap)
      ? ` (the canary's data is ${formatDuration(Math.abs(gap))} ${gap >= 0 ? 'newer' : 'older'})`
      : ''
    out.push(`${code(name, 60)}${!c ? ' (production only)' : !p ? ' (canary only)' : when}`)
  }
  return out.length > 10 ? [...out.slice(0, 10), `and ${out.length - 10} more`] : out
}

function countsSection(result: Result): string {
  const rows = Object.entries(result.counts).map(([k, v]) => [codeCell(k), v.toLocaleString('en-US')])
  return ['### Counts', table(['Count', 'Value'], rows, ['l', 'r'])].join('\n\n')
}

function pointer(opts: SummaryOptions): string {
  const files = ['result.json', 'diffs.jsonl', 'records.jsonl', 'report.html'].map((f) => code(f)).join(', ')
  const links: string[] = []
  if (opts.artifactUrl) links.push(`[run directory artifact](${safeUrl(opts.artifactUrl)})`)
  if (opts.reportUrl) links.push(`[report.html](${safeUrl(opts.reportUrl)})`)
  const where = links.length > 0 ? links.join(' · ') : 'the run directory artifact'
  return `---\nFull results: ${where} (${files}).`
}

/** A link target that cannot end the markdown link early or open HTML. */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return '#'
  return url.replace(
    /[\s()<>[\]"'`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
}
