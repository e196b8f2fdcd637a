// Renders report.html in Debian's headless Chromium: the plots hold data, the tables are there, filtering
// works, nothing is fetched from outside, and no script error occurs. Saves a screenshot in the test's
// temp dir. Skips when /usr/bin/chromium is absent (apt-get install -y chromium).
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   page.$$eval callbacks run in the browser, and the project has no DOM types. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { renderHtmlReport } from '../../../src/report/html.ts'
import { judgedResult, makeDiffs, makeRecords, makeRun } from '../../unit/github/fixtures.ts'
import { nightlyResult } from '../../golden/summary/fixtures.ts'

const CHROMIUM = '/usr/bin/chromium'
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install -y chromium): skipping the browser test`

/** Headless Chromium with a fresh profile in a temp dir, closed (and the dir removed) after the test. */
async function openBrowser(t: TestContext, prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  // A fresh profile per run: Playwright takes the user-data-dir through launchPersistentContext.
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  t.after(async () => {
    await browser.close()
    // Keep the screenshots for people when asked to; otherwise clean up.
    if (!process.env['KEEP_SCREENSHOTS']) await rm(dir, { recursive: true, force: true })
  })
  return { dir, browser }
}

// The bound only keeps a hung browser from holding the suite: on a loaded 2-core machine the first test took 96 s,
// close to the 120 s it had.
const BOUND = { skip, timeout: 600_000 }

test('report.html in headless Chromium: plots, tables and filtering', BOUND, async (t) => {
  const { dir, browser } = await openBrowser(t, 'cc-html-')
  const diffs = makeDiffs(2000, 11, 300)
  const records = makeRecords(400)
  const result = judgedResult(diffs, records)
  const file = join(dir, 'report.html')
  await writeFile(file, renderHtmlReport({ result, run: makeRun(), records, diffs }))

  const page = await browser.newPage()
  const errors: string[] = []
  const external: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) external.push(r.url())
  })
  await page.goto(pathToFileURL(file).href)

  // Plots: every svg with data has drawn marks.
  const plots = await page.$$eval('svg[data-plot]', (svgs) =>
    svgs.map((s) => ({
      id: s.id,
      empty: s.getAttribute('data-empty') === 'true',
      marks: s.querySelectorAll('polyline.series, rect.bar').length,
      width: s.getBoundingClientRect().width,
    })),
  )
  const ids = plots.map((p) => p.id)
  for (const id of [
    'latency-index',
    'latency-vulnerability_report',
    'differences-by-kind',
    'differences-by-ecosystem',
    'errors-over-time',
  ]) {
    assert.ok(ids.includes(id), `${id} is drawn`)
  }
  for (const p of plots) {
    assert.equal(p.empty, false, `${p.id} has data`)
    assert.ok(p.marks > 0, `${p.id} has marks`)
    assert.ok(p.width > 100, `${p.id} is visible`)
  }
  const ecdf = await page.$eval(
    '#latency-index polyline[data-series="canary"]',
    (l) => (l as unknown as { points: { numberOfItems: number } }).points.numberOfItems,
  )
  assert.ok(ecdf > 10, 'the ECDF has points')

  // The first screen answers the question: the verdict, then why; differences come grouped by cause and kind.
  assert.match((await page.textContent('#verdict')) ?? '', /❌ fail\s+do not promote this canary/)
  const groups = await page.$$eval('#difference-groups details.group', (ds) =>
    ds.map((d) => ({
      open: (d as unknown as { open: boolean }).open,
      attribution: d.getAttribute('data-attribution'),
      summary: d.querySelector('summary')!.textContent ?? '',
      examples: d.querySelectorAll('tbody tr').length,
    })),
  )
  const expectedGroups = result.aggregates.differences.length
  assert.equal(groups.length, expectedGroups)
  for (const g of groups) {
    assert.equal(g.open, g.attribution === 'code', 'code changes open, explained ones folded')
    assert.match(g.summary, /\d+ manifests?, \d+ differences?/)
    assert.ok(g.examples > 0 && g.examples <= 20)
  }
  // The filterable table of every difference is folded until asked for.
  assert.equal(await page.$eval('#all-differences', (d) => (d as unknown as { open: boolean }).open), false)
  await page.screenshot({ path: join(dir, 'report-first-screen.png') })
  await page.click('#all-differences > summary')

  // Tables.
  for (const table of ['#gates-table', '#latency-table', '#differences-table', '#errors-table']) {
    assert.ok((await page.$$(`${table} tbody tr`)).length > 0, `${table} has rows`)
  }
  const total = diffs.reduce((n, d) => n + d.differences.length, 0)
  const visible = () =>
    page.$$eval(
      '#differences-table tbody tr',
      (rows) => rows.filter((r) => !(r as unknown as { hidden: boolean }).hidden).length,
    )
  assert.equal(await visible(), total)
  assert.equal(await page.textContent('#shown'), String(total))

  // Filtering by attribution, then ecosystem, then text.
  const expected = (pred: (d: (typeof diffs)[number]['differences'][number], digest: string) => boolean) =>
    diffs.reduce((n, d) => n + d.differences.filter((x) => pred(x, d.digest)).length, 0)
  await page.selectOption('select[data-filter="attribution"]', 'code')
  assert.equal(
    await visible(),
    expected((d) => d.attribution === 'code'),
  )
  const attrs = await page.$$eval('#differences-table tbody tr:not([hidden])', (rows) => [
    ...new Set(rows.map((r) => r.getAttribute('data-attribution'))),
  ])
  assert.deepEqual(attrs, ['code'])
  await page.selectOption('select[data-filter="ecosystem"]', 'rpm')
  assert.equal(
    await visible(),
    expected((d) => d.attribution === 'code' && d.ecosystem === 'rpm'),
  )
  assert.equal(await page.textContent('#shown'), String(await visible()))
  await page.screenshot({ path: join(dir, 'report-filtered.png'), fullPage: false })

  await page.selectOption('select[data-filter="attribution"]', '')
  await page.selectOption('select[data-filter="ecosystem"]', '')
  await page.fill('input[data-filter="text"]', 'lib-42|')
  assert.equal(
    await visible(),
    expected((d) => d.key.startsWith('lib-42|')),
  )
  await page.fill('input[data-filter="text"]', diffs[0]!.digest)
  assert.equal(await visible(), diffs[0]!.differences.length, 'a full digest finds its manifest')
  await page.fill('input[data-filter="text"]', '')
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: join(dir, 'report.png') })
  assert.ok(existsSync(join(dir, 'report.png')))

  assert.deepEqual(errors, [], 'no script errors')
  assert.deepEqual(external, [], 'nothing fetched from outside the file')
  // The planted <script> in keys did not run: it would have opened a dialog.
  assert.equal(await page.evaluate('document.querySelectorAll("script").length'), 1)
  if (process.env['KEEP_SCREENSHOTS']) t.diagnostic(`screenshots in ${dir}`)
})

test('report.html in headless Chromium: the history trend and its sparklines', BOUND, async (t) => {
  const { dir, browser } = await openBrowser(t, 'cc-html-history-')
  const { result, run } = nightlyResult()
  const file = join(dir, 'report.html')
  await writeFile(file, renderHtmlReport({ result, run, records: [], diffs: [] }))
  const page = await browser.newPage()
  const external: string[] = []
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) external.push(r.url())
  })
  await page.goto(pathToFileURL(file).href)
  assert.match((await page.textContent('#history h2')) ?? '', /History: 8 earlier runs on main/)
  assert.equal((await page.$$('#history table.trend tbody tr')).length, 9, 'this run and eight earlier ones')
  assert.equal((await page.$$('#spark-verdict rect')).length, 9)
  // Each line has a point per run (two series for latency) and ends with a dot on this run.
  const segments = await page.$$eval('svg[data-spark] path', (ps) =>
    ps.map((p) => (p.getAttribute('d') ?? '').split(/[ML]/).filter(Boolean).length),
  )
  assert.deepEqual(segments, [9, 9, 9])
  assert.equal((await page.$$('#spark-latency circle')).length, 2)
  assert.match((await page.textContent('#history pre')) ?? '', /^ignore:\n {2}- report: vulnerability/)
  const box = await page.$eval('#spark-latency', (s) => s.getBoundingClientRect().width)
  assert.ok(box > 100, 'the sparkline is visible')
  await page.$eval('#history', (s) => s.scrollIntoView())
  await page.screenshot({ path: join(dir, 'report-history.png') })
  assert.deepEqual(external, [], 'nothing fetched from outside the file')
  if (process.env['KEEP_SCREENSHOTS']) t.diagnostic(`screenshots in ${dir}`)
})
