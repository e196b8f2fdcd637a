import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_TABLE_ROWS, renderHtmlReport } from '../../../src/report/html.ts'
import { judgedResult, makeDiffs, makeRecords, makeResult, makeRun } from '../github/fixtures.ts'

test('one self-contained file: no external resources, a CSP that forbids them', () => {
  const diffs = makeDiffs(200)
  const records = makeRecords(100)
  const html = renderHtmlReport({
    result: makeResult('fail', diffs, records),
    run: makeRun(),
    records,
    diffs,
  })
  assert.match(html, /^<!doctype html>/)
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/)
  assert.doesNotMatch(html, /<(script|img|link|iframe)[^>]+(src|href)=/i)
  assert.doesNotMatch(html, /url\(/)
  assert.doesNotMatch(html, /https?:\/\/(?!canary\.example|clair\.example)/)
})

test('everything from reports is escaped', () => {
  const diffs = makeDiffs(50)
  const records = makeRecords(40)
  const result = makeResult('fail', diffs, records)
  result.reasons.push('<img src=x onerror=alert(1)>')
  const html = renderHtmlReport({ result, run: makeRun(), records, diffs })
  // The fixtures' keys hold <script>alert(i)</script>; only our own script tag may appear.
  assert.equal(html.match(/<script>/g)?.length, 1)
  assert.doesNotMatch(html, /<img/)
  assert.match(html, /&lt;script&gt;alert\(/)
  assert.match(html, /&lt;b&gt;boom&lt;\/b&gt;/)
})

test('plots carry their data: ECDF per op and side, bars per kind and ecosystem, errors over time', () => {
  const diffs = makeDiffs(500)
  const records = makeRecords(300)
  const html = renderHtmlReport({
    result: makeResult('fail', diffs, records),
    run: makeRun(),
    records,
    diffs,
  })
  for (const op of ['index', 'index_report', 'vulnerability_report']) {
    assert.match(html, new RegExp(`<svg id="latency-${op}"`))
  }
  const canaryIndex = records.filter((r) => !r.requests[0]!.error).length
  assert.match(html, new RegExp(`data-series="canary" data-n="${canaryIndex}"`))
  const codeRpm = diffs
    .flatMap((d) => d.differences)
    .filter((d) => d.ecosystem === 'rpm' && d.attribution === 'code').length
  assert.match(html, new RegExp(`data-category="rpm" data-attribution="code" data-count="${codeRpm}"`))
  const errorCounts = [...html.matchAll(/data-side="(canary|production)" data-bin="\d+" data-count="(\d+)"/g)]
  const total = errorCounts.reduce((n, m) => n + Number(m[2]), 0)
  assert.equal(total, records.flatMap((r) => r.requests).filter((q) => q.error).length)
})

test('empty runs still render, saying there is nothing to plot', () => {
  const html = renderHtmlReport({
    result: makeResult('inconclusive'),
    run: makeRun(),
    records: [],
    diffs: [],
  })
  assert.match(html, /data-empty="true"/)
  assert.match(html, /No differences\./)
  assert.match(html, /No request errors\./)
})

test('the table stops at MAX_TABLE_ROWS, code differences first, and says where the rest are', () => {
  const diffs = makeDiffs(MAX_TABLE_ROWS + 500, 5, 500)
  const html = renderHtmlReport({ result: makeResult('fail', diffs), run: makeRun(), records: [], diffs })
  const rows = html.match(/<tr data-attribution="/g)?.length
  assert.equal(rows, MAX_TABLE_ROWS)
  assert.match(html, new RegExp(`The first ${MAX_TABLE_ROWS} of ${MAX_TABLE_ROWS + 500} differences`))
  assert.ok(html.indexOf('<tr data-attribution="code"') < html.indexOf('<tr data-attribution="drift"'))
})

test('differences come grouped by cause and kind, with counts that add up, code first and open', async () => {
  const diffs = makeDiffs(400)
  const records = makeRecords(200)
  const result = judgedResult(diffs, records)
  assert.equal(result.verdict, 'fail')
  const html = renderHtmlReport({ result, run: makeRun(), records, diffs })
  const section = html.slice(
    html.indexOf('<section id="difference-groups">'),
    html.indexOf('<section id="plots">'),
  )
  const groups = [...section.matchAll(/<details class="group attr-([\w-]+)"( open)?/g)]
  const expected = result.aggregates.differences
  assert.equal(groups.length, expected.length)
  assert.deepEqual(
    groups.map((g) => [g[1], g[2] === ' open']),
    expected.map((g) => [g.attribution, g.attribution === 'code']),
  )
  const counted = [...section.matchAll(/, (\d+) differences?/g)].reduce((n, m) => n + Number(m[1]), 0)
  assert.equal(
    counted,
    expected.reduce((n, g) => n + g.differences, 0),
  )
  // The verdict and what to do come before any detail; the flat table is folded at the end.
  assert.ok(html.indexOf('id="verdict"') < html.indexOf('id="gates"'))
  assert.ok(html.indexOf('id="what-next"') < html.indexOf('id="difference-groups"'))
  assert.match(html, /<details id="all-differences">/)
  assert.match(html, /clair-canary compare --baseline clair-canary-run/)
})

test('after an early stop the headline counts say how many manifests were planned', () => {
  const records = makeRecords(6)
  const result = makeResult('fail', [], records)
  const early_stop = {
    gate: 'index-differences',
    manifest: 1,
    planned: 200,
    digest: 'sha256:' + 'a'.repeat(64),
    why: 'certain',
  }
  const stopped = renderHtmlReport({ result, run: { ...makeRun(), early_stop }, records, diffs: [] })
  assert.match(
    stopped,
    new RegExp(`<b>${result.counts.manifests}</b> of 200 planned manifests \\(stopped early\\)`),
  )
  const whole = renderHtmlReport({ result, run: makeRun(), records, diffs: [] })
  assert.doesNotMatch(whole, /planned manifests/)
})
