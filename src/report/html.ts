// report.html: one self-contained file (no external resources, a CSP that forbids them) a maintainer opens
// from the artifact: the verdict and gates, inline SVG plots drawn here (latency ECDFs canary vs production,
// differences by kind and ecosystem, errors along the replay's time line), and the differences table with
// client-side filtering. Pure: data in, string out. Everything from reports is escaped with `he`.
import he from 'he'
import { formatDuration, formatMs, inRepository, manifestCount, plural, shortDigest } from '../format.ts'
import {
  ATTRIBUTIONS,
  CAUSE,
  countByCause,
  describeGroup,
  groupKey,
  membersByGroup,
} from '../judge/differences.ts'
import { DECISION_MARK, VERDICT_ANSWER } from './console.ts'
import { REJUDGE_COMMAND, expectedRulesYaml, passNextStep } from './summary.ts'
import { trendOf } from './trend.ts'
import { noisyRuleYaml } from '../history/baseline.ts'
import { quantileSorted, sortedAscending } from '../judge/statistics.ts'
import type {
  Attribution,
  Difference,
  ManifestDiff,
  ManifestRecord,
  Operation,
  Result,
  RunInfo,
  Side,
} from '../rundir/types.ts'

export interface HtmlReportInput {
  result: Result
  run: RunInfo
  records: ManifestRecord[]
  diffs: ManifestDiff[]
}

/** Rows beyond this are left out of the table (diffs.jsonl has them all): a browser stays responsive. */
export const MAX_TABLE_ROWS = 10_000
/** Points per ECDF curve; quantiles in between are interpolated by the line. */
const ECDF_POINTS = 200
const TIME_BINS = 40

const esc = (value: string | number | boolean | null | undefined): string => he.escape(String(value ?? ''))

const COLOR: Record<string, string> = {
  code: '#cf222e',
  drift: '#bf8700',
  'by-design': '#0969da',
  noise: '#8c959f',
  allowed: '#1a7f37',
  canary: '#bc4c00',
  production: '#0969da',
}
const VERDICT_COLOR = { pass: '#1a7f37', fail: '#cf222e', inconclusive: '#9a6700' } as const

export function renderHtmlReport(input: HtmlReportInput): string {
  const { result, run, records, diffs } = input
  const rows = diffs.flatMap((d) =>
    d.differences.map((x) => ({
      digest: d.digest,
      ...(d.repository ? { repository: d.repository } : {}),
      d: x,
    })),
  )
  const title = `clair-canary: ${result.verdict}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(result, run)}
${gates(result)}
${whatNext(result, run)}
${differenceGroups(result, diffs)}
${historySection(result, run)}
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${latencyPlots(records)}
${differenceBars('Differences by kind', 'kind', rows, (x) => x.kind)}
${differenceBars('Differences by ecosystem', 'ecosystem', rows, (x) => x.ecosystem ?? x.updater ?? '(none)')}
${errorTimeline(records)}
</div>
</section>
${errorsTable(records)}
${latencyTable(records)}
${sidesTable(run)}
${differencesTable(rows)}
<footer>clair-canary ${esc(run.tool.version)} · seed ${esc(run.seed)} · started ${esc(run.started_at)}${
    run.finished_at ? ` · finished ${esc(run.finished_at)}` : ''
  }</footer>
<script>${SCRIPT}</script>
</body>
</html>
`
}

/** Trends over this run and the earlier runs of its branch: a table with a sparkline per figure. */
function historySection(result: Result, run: RunInfo): string {
  const trend = trendOf(result, run)
  if (!trend) return ''
  const oldestFirst = [...trend.rows].reverse()
  const codeDiffs = oldestFirst.map((r) => r.differences.code)
  const p50 = oldestFirst.map((r) => r.canaryIndex?.p50 ?? null)
  const p95 = oldestFirst.map((r) => r.canaryIndex?.p95 ?? null)
  const verdicts = oldestFirst
    .map(
      (r, i) =>
        `<rect x="${i * 12}" y="2" width="10" height="14" rx="2" fill="${VERDICT_COLOR[r.verdict]}"><title>${esc(
          `${r.when}: ${r.verdict}`,
        )}</title></rect>`,
    )
    .join('')
  const rowsHtml = trend.rows
    .map(
      (r) =>
        `<tr${r.when === 'this run' ? ' class="current"' : ''}><td>${esc(r.when)}</td><td><code>${esc(
          r.commit.slice(0, 7),
        )}</code></td><td>${esc(r.event)}</td><td style="color:${VERDICT_COLOR[r.verdict]}">${esc(r.verdict)}</td>${ATTRIBUTIONS.map(
          (x) => `<td class="num">${r.differences[x]}</td>`,
        ).join(
          '',
        )}<td class="num">${r.canaryIndex ? `${esc(formatMs(r.canaryIndex.p50))} / ${esc(formatMs(r.canaryIndex.p95))}` : '—'}</td></tr>`,
    )
    .join('\n')
  const noisy = trend.noisy.length
    ? `<h3>Noisy fields</h3><p>These came back night after night without a code change. They are still judged; if they are noise, a rule like this allows them:</p><ul>${trend.noisy
        .map(
          (f) =>
            `<li>${esc(f.text)}: ${f.nights} of ${f.of} nights (${f.unchanged} without a code change)</li>`,
        )
        .join(
          '',
        )}</ul><pre>${esc(['ignore:', ...trend.noisy.slice(0, 3).flatMap(noisyRuleYaml)].join('\n'))}</pre>`
    : ''
  return `<section id="history"><h2>History: ${trend.rows.length - 1} earlier runs on ${esc(trend.branch)}</h2>
<div class="sparks">
<figure><figcaption>Verdict</figcaption><svg id="spark-verdict" viewBox="0 0 ${oldestFirst.length * 12} 18" width="${oldestFirst.length * 12}" height="18" role="img" aria-label="verdicts, oldest first">${verdicts}</svg></figure>
<figure><figcaption>Code differences</figcaption>${sparkline('spark-code', [codeDiffs], [VERDICT_COLOR.fail])}</figure>
<figure><figcaption>Canary index p50 / p95</figcaption>${sparkline('spark-latency', [p50, p95], ['#bc4c00', '#6e7781'])}</figure>
</div>
<table class="trend"><thead><tr><th>run</th><th>commit</th><th>event</th><th>verdict</th>${ATTRIBUTIONS.map((x) => `<th>${esc(x)}</th>`).join('')}<th>canary index p50 / p95</th></tr></thead>
<tbody>${rowsHtml}</tbody></table>
<p class="muted">Oldest on the left in the sparklines; the last point is this run. ${
    trend.unavailable !== undefined
      ? `No earlier run could be read: ${esc(trend.unavailable)}. The canary's index latency is not judged against past nights.`
      : `Baseline of the canary's index latency (scheduled runs, the last ${trend.depth} at most): ${esc(trend.baseline)}.`
  }</p>
${noisy}</section>`
}

/** A small inline line chart, oldest first; null values are gaps. */
function sparkline(id: string, series: Array<Array<number | null>>, colors: string[]): string {
  const w = 180
  const h = 40
  const n = Math.max(...series.map((s) => s.length))
  // Scaled to the values' own range, as sparklines are: a 30% step must show, not sit flat on a zero axis.
  const values = series.flat().filter((v): v is number => v !== null)
  const lo = Math.min(...values)
  const span = Math.max(...values) - lo || 1
  const x = (i: number) => (n <= 1 ? w / 2 : 4 + (i * (w - 8)) / (n - 1))
  const y = (v: number) => h - 4 - ((v - lo) / span) * (h - 8)
  const paths = series.map((s, k) => {
    let d = ''
    let pen = false
    s.forEach((v, i) => {
      if (v === null) {
        pen = false
        return
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`
      pen = true
    })
    const last = s.length - 1
    const lastValue = s[last]
    const dot =
      lastValue !== null && lastValue !== undefined
        ? `<circle cx="${x(last).toFixed(1)}" cy="${y(lastValue).toFixed(1)}" r="2.5" fill="${colors[k]}"/>`
        : ''
    return `<path d="${d}" fill="none" stroke="${colors[k]}" stroke-width="1.5"/>${dot}`
  })
  return `<svg id="${esc(id)}" data-spark="${esc(id)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(id)}, oldest first">${paths.join('')}</svg>`
}

function sidesTable(run: RunInfo): string {
  const side = (name: Side) => {
    const s = run.sides[name]
    return `<tr><th>${name}</th><td>${esc(s.url)}</td><td>${esc(s.version?.revision ?? '')}</td><td><code>${esc(
      s.index_state ?? '',
    )}</code></td></tr>`
  }
  return `<section id="sides"><h2>Sides</h2><table class="sides"><thead><tr><th></th><th>URL</th><th>revision</th><th>index state</th></tr></thead>
<tbody>${side('canary')}${side('production')}</tbody></table></section>`
}

function header(result: Result, run: RunInfo): string {
  const c = result.counts
  const started = Date.parse(run.started_at)
  const took = run.finished_at ? Date.parse(run.finished_at) - started : Number.NaN
  const when = `${Number.isFinite(took) ? `ran ${formatDuration(took)} on ` : 'started on '}${run.started_at.slice(0, 10)}`
  const headline: Array<[string, number | undefined]> = [
    // After an early stop the count alone reads as the whole sample: say what was planned.
    [
      run.early_stop ? `of ${run.early_stop.planned} planned manifests (stopped early)` : 'manifests',
      c.manifests,
    ],
    ['compared', c.compared],
    ['with differences', c.different],
    ['with code differences', c['code_different']],
    ['with errors', c.errors],
  ]
  const incomplete = (run.incomplete ?? [])
    .map((i) => `<li>Stage <b>${esc(i.stage)}</b> did not complete: ${esc(i.reason)}</li>`)
    .join('')
  return `<header>
<h1 id="verdict"><span class="verdict" style="background:${VERDICT_COLOR[result.verdict]}">${DECISION_MARK[result.verdict]} ${esc(result.verdict)}</span> ${esc(VERDICT_ANSWER[result.verdict])}</h1>
<p class="counts" id="counts">${headline
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<span><b>${esc(v)}</b> ${esc(k)}</span>`)
    .join(' ')}<span class="muted">clair-canary · ${esc(when)}</span></p>
<h2>Why</h2>
<ul class="reasons">${result.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
${incomplete ? `<ul class="incomplete">${incomplete}</ul>` : ''}
</header>`
}

function gates(result: Result): string {
  const rows = result.gates
    .map(
      (g) =>
        `<tr class="${esc(g.decision)}"><td>${esc(g.name)}</td><td>${esc(g.value ?? 'n/a')}</td><td>${esc(
          g.threshold,
        )}</td><td><b>${DECISION_MARK[g.decision]} ${esc(g.decision)}</b></td><td>${esc(g.detail)}</td></tr>`,
    )
    .join('\n')
  return `<section id="gates"><h2>Gates</h2>
<table id="gates-table"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>decision</th><th>why</th></tr></thead>
<tbody>${rows}</tbody></table></section>`
}

function whatNext(result: Result, run: RunInfo): string {
  const rules = expectedRulesYaml(result, run)
  const items = [
    rules
      ? `<li><b>If these changes are intended</b>, add them to the rules file as expected changes (they expire, so they never hide a later regression):<pre>${esc(rules)}</pre></li>`
      : result.verdict === 'inconclusive'
        ? '<li><b>Inconclusive is not a pass</b>: fix what the reasons name (the canary, production or the sample), then re-run.</li>'
        : result.verdict === 'pass'
          ? `<li>${esc(passNextStep(result))}</li>`
          : '<li><b>Look at the failing gates</b> before re-running: the canary failed on evidence.</li>',
    `<li><b>Re-judge this run</b> with other rules, from the downloaded run directory: <code>${esc(REJUDGE_COMMAND)}</code></li>`,
    '<li>Every difference is in <code>diffs.jsonl</code>, every request in <code>records.jsonl</code> (the run directory artifact).</li>',
  ]
  return `<section id="what-next"><h2>What next</h2><ul>${items.join('')}</ul></section>`
}

/** Examples shown when a group is opened; the rest are in the filterable table and diffs.jsonl. */
const GROUP_EXAMPLES = 20

/** Differences grouped by cause and kind, with counts; each group opens onto its examples (code ones open). */
function differenceGroups(result: Result, diffs: ManifestDiff[]): string {
  const groups = result.aggregates.differences
  if (groups.length === 0)
    return `<section id="difference-groups"><h2>Differences by cause</h2><p>No differences between the canary and production.</p></section>`
  const byGroup = membersByGroup(diffs)
  const blocks = groups.map((g) => {
    const members = byGroup.get(groupKey(g)) ?? []
    const examples = members
      .slice(0, GROUP_EXAMPLES)
      .map(
        ({ digest, repository, difference: d }) =>
          `<tr><td title="${esc(digest)}"><code>${esc(shortDigest(digest))}</code>${esc(inRepository(repository))}</td><td>${esc(d.key)}</td><td><code>${esc(
            short(d.before),
          )}</code></td><td><code>${esc(short(d.after))}</code></td><td>${esc(d.why ?? '')}</td></tr>`,
      )
      .join('')
    const more =
      members.length > GROUP_EXAMPLES
        ? `<p class="muted">${members.length - GROUP_EXAMPLES} more in the table below and in diffs.jsonl.</p>`
        : ''
    const mark = g.attribution === 'code' ? DECISION_MARK.fail : ''
    return `<details class="group attr-${esc(g.attribution)}"${g.attribution === 'code' ? ' open' : ''} data-attribution="${esc(g.attribution)}">
<summary>${mark} <b>${esc(CAUSE[g.attribution])}</b> · ${esc(g.report)} report · ${esc(describeGroup(g))} — <b>${esc(
      manifestCount(g.manifests, g.repositories),
    )}</b>, ${esc(plural(g.differences, 'difference'))}${g.why ? ` <span class="muted">· ${esc(g.why)}</span>` : ''}</summary>
<table><thead><tr><th>manifest</th><th>key</th><th>production</th><th>canary</th><th>why</th></tr></thead><tbody>${examples}</tbody></table>${more}
</details>`
  })
  return `<section id="difference-groups"><h2>Differences by cause</h2>
<p>${esc(plural(result.counts.different, 'manifest'))} differ, in ${esc(plural(groups.length, 'group'))}; code changes first and open, explained ones folded.</p>
${blocks.join('\n')}</section>`
}

// --- plots -------------------------------------------------------------------------------------------

const W = 460
const H = 260
const M = { top: 28, right: 16, bottom: 40, left: 56 }
const PW = W - M.left - M.right
const PH = H - M.top - M.bottom

function svgOpen(id: string, title: string, extra = ''): string {
  return `<figure><svg id="${esc(id)}" data-plot="${esc(id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(
    title,
  )}"${extra}><text x="${M.left}" y="16" class="title">${esc(title)}</text>`
}

function noData(id: string, title: string, why: string): string {
  return `${svgOpen(id, title, ' data-empty="true"')}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="muted">${esc(
    why,
  )}</text></svg></figure>`
}

function legend(items: Array<[string, string]>, x = M.left, y = H - 8): string {
  let offset = x
  return items
    .map(([label, color]) => {
      const out = `<rect x="${offset}" y="${y - 9}" width="10" height="10" fill="${color}"/><text x="${offset + 14}" y="${y}" class="small">${esc(
        label,
      )}</text>`
      offset += 24 + label.length * 6.5
      return out
    })
    .join('')
}

function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0]
  const step0 = max / count
  const mag = 10 ** Math.floor(Math.log10(step0))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0
  const ticks: number[] = []
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(v)
  return ticks
}

/** Successful first-read latencies per (op, side). */
function latencies(records: ManifestRecord[]): Map<Operation, Record<Side, number[]>> {
  const out = new Map<Operation, Record<Side, number[]>>()
  for (const r of records) {
    for (const q of r.requests) {
      if (q.error || (q.read ?? 0) > 0 || q.op === 'delete_index_report') continue
      let entry = out.get(q.op)
      if (!entry) out.set(q.op, (entry = { canary: [], production: [] }))
      entry[q.side].push(q.latency_ms)
    }
  }
  return out
}

/** One ECDF per op, canary against production, on a log time axis. */
function latencyPlots(records: ManifestRecord[]): string {
  const byOp = latencies(records)
  if (byOp.size === 0) return noData('latency-none', 'Latency', 'no successful requests recorded')
  const plots: string[] = []
  for (const [op, sides] of byOp) {
    const all = [...sides.canary, ...sides.production].filter((v) => v > 0)
    const id = `latency-${op}`
    const title = `Latency ECDF: ${op.replace(/_/g, ' ')}`
    if (all.length === 0) {
      plots.push(noData(id, title, 'no latencies above 0 ms'))
      continue
    }
    let lo = Math.min(...all)
    let hi = Math.max(...all)
    if (hi / lo < 10) {
      lo = lo / 2
      hi = hi * 2
    }
    const lmin = Math.log10(lo)
    const lmax = Math.log10(hi)
    const x = (v: number) => M.left + ((Math.log10(Math.max(v, lo)) - lmin) / (lmax - lmin)) * PW
    const y = (p: number) => M.top + (1 - p) * PH
    let body = ''
    for (let e = Math.ceil(lmin); e <= Math.floor(lmax); e++) {
      const v = 10 ** e
      body += `<line x1="${x(v)}" x2="${x(v)}" y1="${M.top}" y2="${M.top + PH}" class="grid"/><text x="${x(v)}" y="${
        M.top + PH + 14
      }" text-anchor="middle" class="small">${esc(formatMs(v))}</text>`
    }
    for (const p of [0, 0.5, 0.95]) {
      body += `<line x1="${M.left}" x2="${M.left + PW}" y1="${y(p)}" y2="${y(p)}" class="grid"/><text x="${M.left - 4}" y="${
        y(p) + 4
      }" text-anchor="end" class="small">${p}</text>`
    }
    for (const side of ['production', 'canary'] as const) {
      const sorted = sortedAscending(sides[side])
      if (sorted.length === 0) continue
      const n = sorted.length
      const points: string[] = []
      const steps = Math.min(ECDF_POINTS, n)
      for (let i = 0; i <= steps; i++) {
        const p = i / steps
        points.push(`${x(quantileSorted(sorted, p)).toFixed(1)},${y(p).toFixed(1)}`)
      }
      body += `<polyline class="series" data-series="${side}" data-n="${n}" data-p50="${quantileSorted(sorted, 0.5)}" fill="none" stroke="${COLOR[side]}" stroke-width="2" points="${points.join(' ')}"><title>${side}: ${n} requests, p50 ${esc(
        formatMs(quantileSorted(sorted, 0.5)),
      )}, p95 ${esc(formatMs(quantileSorted(sorted, 0.95)))}</title></polyline>`
    }
    body += `<text x="${M.left + PW}" y="${H - 8}" text-anchor="end" class="small">latency (log scale)</text>`
    body += legend(
      (['canary', 'production'] as const)
        .filter((side) => sides[side].length > 0)
        .map((side) => [`${side} (${sides[side].length})`, COLOR[side]!]),
    )
    plots.push(`${svgOpen(id, title)}${body}</svg></figure>`)
  }
  return plots.join('\n')
}

/** Horizontal bars per category, stacked by attribution. */
function differenceBars(
  title: string,
  id: string,
  rows: Array<{ d: Difference }>,
  category: (d: Difference) => string,
): string {
  const plotId = `differences-by-${id}`
  if (rows.length === 0) return noData(plotId, title, 'no differences')
  const byCategory = new Map<string, Difference[]>()
  for (const { d } of rows) byCategory.set(category(d), [...(byCategory.get(category(d)) ?? []), d])
  const counts = new Map([...byCategory].map(([name, ds]) => [name, countByCause(ds)]))
  const total = (c: Record<Attribution, number>) => ATTRIBUTIONS.reduce((n, a) => n + c[a], 0)
  const top = [...counts.entries()]
    .sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, 10)
  const max = Math.max(...top.map(([, c]) => total(c)))
  const left = 110
  const width = W - left - M.right
  const band = PH / top.length
  const bar = Math.min(18, band * 0.7)
  let body = ''
  for (const t of niceTicks(max)) {
    const x = left + (t / max) * width
    if (x > left + width + 1) continue
    body += `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${M.top + PH}" class="grid"/><text x="${x}" y="${M.top + PH + 14}" text-anchor="middle" class="small">${t}</text>`
  }
  top.forEach(([name, c], i) => {
    const y = M.top + i * band + (band - bar) / 2
    body += `<text x="${left - 6}" y="${y + bar / 2 + 4}" text-anchor="end" class="small">${esc(
      name.length > 16 ? name.slice(0, 15) + '…' : name,
    )}</text>`
    let x = left
    for (const a of ATTRIBUTIONS) {
      if (!c[a]) continue
      const w = (c[a] / max) * width
      body += `<rect class="bar" data-category="${esc(name)}" data-attribution="${a}" data-count="${c[a]}" x="${x.toFixed(
        1,
      )}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${bar.toFixed(1)}" fill="${COLOR[a]}"><title>${esc(name)}: ${c[a]} ${a}</title></rect>`
      x += w
    }
  })
  const present = ATTRIBUTIONS.filter((a) => top.some(([, c]) => c[a] > 0))
  body += legend(present.map((a) => [a, COLOR[a]!]))
  return `${svgOpen(plotId, title)}${body}</svg></figure>`
}

/** Errors per time bin of the replay (scheduled time), canary and production stacked. */
function errorTimeline(records: ManifestRecord[]): string {
  const id = 'errors-over-time'
  const title = 'Errors over the replay'
  const requests = records.flatMap((r) => r.requests)
  if (requests.length === 0) return noData(id, title, 'no requests recorded')
  const end = Math.max(1, ...requests.map((q) => q.scheduled_at_ms)) + 1
  const bins = Array.from({ length: TIME_BINS }, () => ({ canary: 0, production: 0, requests: 0 }))
  for (const q of requests) {
    const bin = bins[Math.min(TIME_BINS - 1, Math.floor((q.scheduled_at_ms / end) * TIME_BINS))]!
    bin.requests++
    if (q.error) bin[q.side]++
  }
  const errors = bins.reduce((n, b) => n + b.canary + b.production, 0)
  if (errors === 0) return noData(id, title, `no errors in ${requests.length} requests`)
  const max = Math.max(...bins.map((b) => b.canary + b.production))
  const bw = PW / TIME_BINS
  const y = (v: number) => M.top + PH - (v / max) * PH
  let body = ''
  for (const t of niceTicks(max)) {
    if (t > max) continue
    body += `<line x1="${M.left}" x2="${M.left + PW}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${M.left - 4}" y="${y(t) + 4}" text-anchor="end" class="small">${t}</text>`
  }
  bins.forEach((b, i) => {
    const x = M.left + i * bw + 1
    const from = Math.round((i * end) / TIME_BINS)
    let base = 0
    for (const side of ['production', 'canary'] as const) {
      if (!b[side]) continue
      body += `<rect class="bar" data-side="${side}" data-bin="${i}" data-count="${b[side]}" x="${x.toFixed(1)}" y="${y(
        base + b[side],
      ).toFixed(
        1,
      )}" width="${(bw - 2).toFixed(1)}" height="${((b[side] / max) * PH).toFixed(1)}" fill="${COLOR[side]}"><title>${esc(
        formatMs(from),
      )}: ${b[side]} ${side} errors of ${b.requests} requests</title></rect>`
      base += b[side]
    }
  })
  for (const t of [0, 0.5, 1]) {
    body += `<text x="${M.left + t * PW}" y="${M.top + PH + 14}" text-anchor="middle" class="small">${esc(formatMs(t * end))}</text>`
  }
  body += legend([
    ['canary', COLOR['canary']!],
    ['production', COLOR['production']!],
  ])
  body += `<text x="${M.left + PW}" y="${H - 8}" text-anchor="end" class="small">scheduled time in the replay</text>`
  return `${svgOpen(id, title)}${body}</svg></figure>`
}

// --- tables ------------------------------------------------------------------------------------------

function latencyTable(records: ManifestRecord[]): string {
  const byOp = latencies(records)
  if (byOp.size === 0) return ''
  const rows: string[] = []
  for (const [op, sides] of byOp) {
    for (const side of ['canary', 'production'] as const) {
      const s = sortedAscending(sides[side])
      if (s.length === 0) continue
      const q = (p: number) => esc(formatMs(quantileSorted(s, p)))
      rows.push(
        `<tr><td>${esc(op)}</td><td>${side}</td><td>${s.length}</td><td>${q(0.5)}</td><td>${q(0.95)}</td><td>${q(0.99)}</td><td>${q(1)}</td></tr>`,
      )
    }
  }
  return `<section id="latency"><h2>Latency (successful first reads)</h2>
<table id="latency-table"><thead><tr><th>operation</th><th>side</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`
}

function options(values: Iterable<string>): string {
  return [...new Set(values)]
    .sort()
    .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
    .join('')
}

function short(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 200 ? text.slice(0, 199) + '…' : text
}

function differencesTable(rows: Array<{ digest: string; repository?: string; d: Difference }>): string {
  if (rows.length === 0)
    return `<section id="differences"><h2>Differences</h2><p>No differences.</p></section>`
  // Code differences first, removals first within them: what a maintainer must look at comes first.
  const rank = (d: Difference) =>
    ATTRIBUTIONS.indexOf(d.attribution) * 3 + ['removed', 'changed', 'added'].indexOf(d.change)
  const sorted = [...rows].sort((a, b) => rank(a.d) - rank(b.d))
  const shown = sorted.slice(0, MAX_TABLE_ROWS)
  const body = shown
    .map(({ digest, repository, d }) => {
      const eco = d.ecosystem ?? ''
      return `<tr data-attribution="${esc(d.attribution)}" data-kind="${esc(d.kind)}" data-ecosystem="${esc(eco)}" data-change="${esc(
        d.change,
      )}"><td title="${esc(digest)}"><code>${esc(shortDigest(digest))}</code>${esc(inRepository(repository))}</td><td>${esc(d.report)}</td><td>${esc(
        d.kind,
      )}</td><td>${esc(d.change)}</td><td>${esc(d.key)}</td><td>${esc(eco || d.updater || '')}</td><td class="attr-${esc(
        d.attribution,
      )}">${esc(d.attribution)}</td><td>${esc(d.why ?? '')}</td><td><code>${esc(short(d.before))}</code></td><td><code>${esc(
        short(d.after),
      )}</code></td></tr>`
    })
    .join('\n')
  const select = (name: string, values: Iterable<string>) =>
    `<label>${name} <select data-filter="${name}"><option value="">all</option>${options(values)}</select></label>`
  return `<section id="differences"><details id="all-differences"><summary><h2>Every difference, filterable (${sorted.length})</h2></summary>
<form class="filters" onsubmit="return false">
${select(
  'attribution',
  shown.map((r) => r.d.attribution),
)}
${select(
  'kind',
  shown.map((r) => r.d.kind),
)}
${select(
  'ecosystem',
  shown.map((r) => r.d.ecosystem ?? ''),
)}
${select(
  'change',
  shown.map((r) => r.d.change),
)}
<label>text <input type="search" data-filter="text" placeholder="package, digest, why…"></label>
<span><b id="shown">${shown.length}</b> of ${shown.length} shown</span>
</form>
${
  sorted.length > shown.length
    ? `<p class="muted">The first ${shown.length} of ${sorted.length} differences (code first); diffs.jsonl in the artifact has every one.</p>`
    : ''
}
<table id="differences-table"><thead><tr><th>manifest</th><th>report</th><th>kind</th><th>change</th><th>key</th><th>ecosystem / updater</th><th>attribution</th><th>why</th><th>production</th><th>canary</th></tr></thead>
<tbody>
${body}
</tbody></table></details></section>`
}

function errorsTable(records: ManifestRecord[]): string {
  const groups = new Map<
    string,
    { side: Side; op: Operation; error: string; count: number; example: string }
  >()
  for (const r of records) {
    for (const q of r.requests) {
      if (!q.error) continue
      const id = `${q.side} ${q.op} ${q.error}`
      const g = groups.get(id)
      if (g) g.count++
      else
        groups.set(id, {
          side: q.side,
          op: q.op,
          error: q.error,
          count: 1,
          example: `${r.digest}${inRepository(r.repository)}: ${q.status === null ? 'no response' : `HTTP ${q.status}`}${q.message ? `, ${q.message}` : ''}`,
        })
    }
  }
  if (groups.size === 0) return `<section id="errors"><h2>Errors</h2><p>No request errors.</p></section>`
  const rows = [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .map(
      (g) =>
        `<tr><td>${g.side}</td><td>${esc(g.op)}</td><td>${esc(g.error)}</td><td>${g.count}</td><td>${esc(g.example)}</td></tr>`,
    )
    .join('\n')
  return `<section id="errors"><h2>Errors</h2>
<table id="errors-table"><thead><tr><th>side</th><th>operation</th><th>class</th><th>requests</th><th>example</th></tr></thead>
<tbody>${rows}</tbody></table></section>`
}

const STYLE = `
.sparks{display:flex;gap:24px;flex-wrap:wrap}.sparks figure{margin:0}.sparks figcaption{font-size:12px;color:#59636e}
table.trend tr.current td{font-weight:600;background:#f6f8fa}td.num{text-align:right}
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.verdict{color:#fff;border-radius:6px;padding:4px 12px;text-transform:uppercase;font-size:20px;vertical-align:middle;margin-right:8px}
h1{font-size:24px}details.group{border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:6px 10px}
details.group.attr-code{border-color:#cf222e;background:#fff8f8}details.group summary{cursor:pointer}
#all-differences summary h2{display:inline;border:0}pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow:auto}
.counts span{margin-right:16px}.muted{color:#656d76}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.fail td{background:#ffebe9}tr.inconclusive td{background:#fff8c5}
td code{font-size:12px;word-break:break-all}
#differences-table td:nth-child(5){max-width:420px;word-break:break-word}
.attr-code{color:#cf222e;font-weight:600}.attr-drift{color:#9a6700}.attr-allowed{color:#1a7f37}
.plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;border:1px solid #d0d7de;border-radius:6px}
svg text{font-size:11px;fill:#1f2328}svg text.title{font-size:13px;font-weight:600}svg text.small{font-size:10px}
svg text.muted{fill:#656d76}svg .grid{stroke:#eaeef2;stroke-width:1}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
footer{margin-top:32px;color:#656d76;font-size:12px}
`

// Filters the differences table in place. Reads the rows' data attributes; no data is embedded in script.
const SCRIPT = `
(function () {
  var table = document.getElementById('differences-table');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var controls = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var shown = document.getElementById('shown');
  function apply() {
    var want = {};
    controls.forEach(function (c) { want[c.getAttribute('data-filter')] = c.value.trim().toLowerCase(); });
    var n = 0;
    rows.forEach(function (r) {
      var ok = ['attribution', 'kind', 'ecosystem', 'change'].every(function (k) {
        return !want[k] || (r.getAttribute('data-' + k) || '').toLowerCase() === want[k];
      }) && (!want.text || r.textContent.toLowerCase().indexOf(want.text) >= 0 || r.cells[0].title.toLowerCase().indexOf(want.text) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  controls.forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
  apply();
})();
`
