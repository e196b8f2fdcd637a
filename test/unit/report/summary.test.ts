// Golden summaries: test/golden/summary/*.md hold what renderSummary writes for a passing, a failing
// (planted python removal plus vulnerability-data drift), an inconclusive and a degraded (huge) result.
// After an intended change to the summary, rewrite them and review the diff:
//
//   UPDATE_GOLDEN=1 npx node --test test/unit/report/summary.test.ts
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { utf8Bytes } from '../../../src/format.ts'
import { renderSummary } from '../../../src/report/summary.ts'
import type { SummaryOptions } from '../../../src/report/summary.ts'
import type { Result, RunInfo } from '../../../src/rundir/types.ts'
import {
  failingResult,
  hugeResult,
  inconclusiveResult,
  nightlyResult,
  passingResult,
  runInfo,
} from '../../golden/summary/fixtures.ts'

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../../golden/summary')
const POINTER = /^Full results: .*\(`result\.json`, `diffs\.jsonl`, `records\.jsonl`, `report\.html`\)\.$/

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, `${name}.md`)
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(path, actual)
    return
  }
  assert.ok(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 to create it`)
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${name}.md differs: review, then UPDATE_GOLDEN=1 to accept`,
  )
}

/** Pipes that separate cells: not escaped with a backslash (entities hold no raw pipe). */
function cellCount(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length - 1
}

/** Every table has a header, a delimiter row and rows of the header's width; nothing is cut mid-table. */
function assertTablesWhole(markdown: string): number {
  const lines = markdown.split('\n')
  let tables = 0
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue
    const block: string[] = []
    while (i < lines.length && lines[i]!.startsWith('|')) block.push(lines[i++]!)
    tables++
    assert.ok(block.length >= 2, `a table without a delimiter row: ${block[0]}`)
    assert.match(block[1]!, /^\|( :?-+:? \|)+$/, `bad delimiter row: ${block[1]}`)
    const width = cellCount(block[0]!)
    for (const row of block) {
      assert.ok(row.endsWith(' |') || row.endsWith('|'), `row not closed: ${row}`)
      assert.equal(cellCount(row), width, `row has ${cellCount(row)} cells, header ${width}: ${row}`)
    }
  }
  return tables
}

function assertEndsWithPointer(markdown: string): void {
  const last = markdown.trimEnd().split('\n').at(-1)!
  assert.match(last, POINTER)
}

function render(result: Result, run: RunInfo = runInfo(), opts?: SummaryOptions): string {
  const markdown = renderSummary(result, run, opts)
  assertTablesWhole(markdown)
  assertEndsWithPointer(markdown)
  return markdown
}

// Built once: judging 20,000 differences over 2,000 manifests is the slow part of these tests.
let huge: Result | undefined
const hugeResultOnce = (): Result => (huge ??= hugeResult())
const hugeRun = () => runInfo({ sample: { source: 'quay-db', requested: 2000, drawn: 2000 } })

test('golden: passing', () => {
  const markdown = render(passingResult())
  assert.match(markdown, /^## ✅ clair-canary: PASS — the canary can be promoted\n/)
  golden('pass', markdown)
})

test('a pass with a gate not judged names it under What next, never "every gate passed"', () => {
  const result = passingResult()
  result.gates.push({
    name: 'index-latency-nights',
    value: null,
    threshold: '≥ 5 comparable nights',
    decision: 'not-judged',
    detail: 'only 2 comparable nights',
  })
  const markdown = render(result)
  assert.match(markdown, /^## ✅ clair-canary: PASS/)
  assert.match(
    markdown,
    /- Nothing to do: every judged gate passed on evidence \(not judged: index-latency-nights; the reasons say why\)\./,
  )
  assert.doesNotMatch(markdown, /every gate passed/)
})

test('golden: failing (python packages removed, plus drift explained as drift)', () => {
  const markdown = render(failingResult())
  assert.match(markdown, /^## ❌ clair-canary: FAIL — do not promote this canary\n/)
  assert.match(markdown, /python packages removed on 18 manifests/)
  assert.match(markdown, /312 vulnerability differences explained by vulnerability-data drift/)
  // Drift is never shown as a code change.
  for (const line of markdown.split('\n').filter((l) => l.includes('CVE-2026-')))
    assert.doesNotMatch(line, /code change/)
  golden('fail', markdown)
})

test('golden: inconclusive', () => {
  const markdown = render(inconclusiveResult())
  assert.match(markdown, /^## ⚠️ clair-canary: INCONCLUSIVE — not judged: do not promote on this run\n/)
  assert.doesNotMatch(markdown, /PASS/)
  golden('inconclusive', markdown)
})

test('golden: a nightly with history (trend, the nights gate, a noisy field and the rule to allow it)', () => {
  const { result, run } = nightlyResult()
  const markdown = render(result, run)
  assert.match(markdown, /### History \(8 earlier runs on `main`\)/)
  assert.match(markdown, /\| `index-latency-nights` \| 1\.\d\d× \|.*❌ \*\*fail\*\*/)
  assert.match(
    markdown,
    /vulnerability vulnerability changed \(dpkg, debian\/updater\/bookworm\): severity: 6 of 9 nights/,
  )
  assert.match(markdown, /```yaml\nignore:\n {2}- report: vulnerability\n/)
  golden('history', markdown)
})

test('golden: degraded (20,000 differences in 65,535 bytes)', () => {
  const markdown = render(hugeResultOnce(), hugeRun(), { maxBytes: 65_535 })
  assert.match(markdown, /_Shortened to fit 65,535 bytes \(detail: top\)/)
  golden('degraded', markdown)
})

test('a 20,000-difference result fits 65,535 bytes and 1 MiB, with whole tables and the pointer last', () => {
  const result = hugeResultOnce()
  const run = hugeRun()
  for (const maxBytes of [65_535, 1_048_576]) {
    const markdown = render(result, run, {
      maxBytes,
      artifactUrl: 'https://github.com/o/r/actions/runs/1/artifacts/2',
    })
    assert.ok(utf8Bytes(markdown) <= maxBytes, `${utf8Bytes(markdown)} bytes > ${maxBytes}`)
    assert.ok(assertTablesWhole(markdown) >= 3)
    assert.match(
      markdown,
      /\[run directory artifact\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\/artifacts\/2\)/,
    )
  }
  // The 1 MiB job-summary budget holds every table; the check-run budget does not.
  assert.doesNotMatch(renderSummary(result, run, { maxBytes: 1_048_576 }), /Shortened/)
})

test('detail degrades full -> top -> counts -> reasons only as the budget shrinks, never mid-table', () => {
  const result = hugeResultOnce()
  const run = hugeRun()
  let previous = Infinity
  for (const maxBytes of [1_048_576, 65_535, 6000, 4000, 1200, 600]) {
    const markdown = render(result, run, { maxBytes })
    const bytes = utf8Bytes(markdown)
    assert.ok(bytes <= maxBytes || maxBytes < 700, `${bytes} > ${maxBytes}`)
    assert.ok(bytes <= previous)
    previous = bytes
  }
  assert.match(render(result, run, { maxBytes: 4000 }), /detail: counts/)
  const tiny = render(result, run, { maxBytes: 1200 })
  assert.doesNotMatch(tiny, /^\|/m)
  assert.match(tiny, /more reasons? in result\.json/)
})

test('the detail option caps the level even when everything fits', () => {
  const markdown = render(failingResult(), runInfo(), { detail: 'counts' })
  assert.match(markdown, /### Counts/)
  assert.doesNotMatch(markdown, /### Differences by cause/)
  assert.doesNotMatch(markdown, /Shortened/)
})

test('code differences come first and show examples; explained ones fold away', () => {
  const markdown = render(failingResult())
  const code = markdown.indexOf('#### code change: python packages removed')
  const drift = markdown.indexOf('<details><summary>data drift')
  assert.ok(code > 0 && drift > code)
})

test('a failing run says what next: a ready-to-paste expected rule that parses and matches, and the compare command', async () => {
  const { parseRules } = await import('../../../src/config/rules.ts')
  const markdown = render(failingResult())
  const next = markdown.slice(markdown.indexOf('### What next'))
  assert.ok(
    markdown.indexOf('### What next') < markdown.indexOf('### Differences by cause'),
    'before the detail',
  )
  const yaml = /```yaml\n([\s\S]*?)```/.exec(next)?.[1]
  assert.ok(yaml, next)
  const rules = parseRules(yaml, 'summary')
  assert.deepEqual(
    rules.expected.map((r) => [r.report, r.kind, r.change, r.ecosystem]),
    [
      ['index', 'package', 'removed', 'python'],
      ['vulnerability', 'vulnerability', 'removed', 'python'],
    ],
  )
  assert.ok(
    rules.expected.every((r) => r.expires === '2026-04-01'),
    'expires 30 days after the run',
  )
  assert.match(next, /clair-canary compare --baseline clair-canary-run --out rejudged --rules/)
})

test('root causes are never cut mid-word: a shortened why ends at a word, and the full text is in a details block', () => {
  const markdown = render(failingResult())
  const gates = markdown.slice(markdown.indexOf('### Gates'), markdown.indexOf('### What next'))
  for (const row of gates.split('\n').filter((l) => l.startsWith('| `'))) {
    const why = row.split(' | ').at(-1)!.replace(/ \|$/, '')
    if (why.endsWith('…')) assert.match(why, /[\w)×%]…$/, `cut mid-word: ${why}`)
  }
  assert.match(gates, /<details><summary>Every gate's why, in full<\/summary>/)
  assert.match(gates, /median paired ratio 1\.00× \(99% CI 0\.99×–1\.01×\) within the 1\.1× effect floor/)
  assert.match(markdown, /✅ pass/)
  assert.match(markdown, /❌ \*\*fail\*\*/)
  assert.doesNotMatch(
    markdown.split('\n').slice(0, 4).join('\n'),
    /T\d\d:\d\d:\d\d/,
    'no raw timestamp up top',
  )
})

test('links are only http(s) and cannot break out of the link', () => {
  const markdown = render(passingResult(), runInfo(), {
    artifactUrl: 'javascript:alert(1)',
    reportUrl: 'https://example.com/a (b)<c>',
  })
  assert.match(markdown, /\[run directory artifact\]\(#\)/)
  assert.match(markdown, /\[report\.html\]\(https:\/\/example\.com\/a%20%28b%29%3Cc%3E\)/)
})
