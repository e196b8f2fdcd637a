// Fuzzing the report reader and the comparator from stored files (issue 11): whatever bytes a store file holds
// (a report cut anywhere, bytes flipped, any JSON, deep nesting, a huge report), compareStores either compares or
// stops with a UserError naming the file, on one line: never a TypeError or a RangeError from deep inside.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { compareStores } from '../../../src/compare/stores.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { UserError } from '../../../src/errors.ts'
import { openReportStore } from '../../../src/rundir/io.ts'
import { indexReportFile, vulnerabilityReportFile } from '../../../src/rundir/layout.ts'
import { indexPart, syntheticVulnerabilityReport } from './synthetic.ts'
import type { VulnerabilityReport } from '../../../src/clair/types.ts'

let work: string
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'clair-canary-fuzz-stores-'))
})
after(() => rm(work, { recursive: true, force: true }))

const report = syntheticVulnerabilityReport({ packages: 12, matchesPerPackage: 2, seed: 3 })
const DIGEST = report.manifest_hash
const good = JSON.stringify(report)
const goodIndex = JSON.stringify(indexPart(report))
let runs = 0

/** Both stores hold the good report; the canary's vulnerability report file holds `bytes` instead. */
async function compareWith(
  bytes: Uint8Array | string,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  const root = join(work, String(runs++))
  const dirs = { production: join(root, 'production'), canary: join(root, 'canary') }
  for (const dir of Object.values(dirs)) {
    await mkdir(dir, { recursive: true })
    await writeFile(indexReportFile(dir, DIGEST), goodIndex)
    await writeFile(vulnerabilityReportFile(dir, DIGEST), good)
  }
  await writeFile(vulnerabilityReportFile(dirs.canary, DIGEST), bytes)
  try {
    const [p, c] = await Promise.all([openReportStore(dirs.production), openReportStore(dirs.canary)])
    await compareStores(p, c, { rules: DEFAULT_RULES, today: '2026-06-01' })
    return { ok: true }
  } catch (error) {
    return { ok: false, error }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

function assertClearError(outcome: { ok: true } | { ok: false; error: unknown }, what: string): void {
  if (outcome.ok) return
  const { error } = outcome
  assert.ok(error instanceof UserError, `${what}: ${String(error)}`)
  assert.ok(error.message.includes(vulnerabilityReportFile('', DIGEST).slice(1)), error.message)
  assert.ok(!error.message.includes('\n') && error.message.length < 400, error.message)
}

test('a stored report cut anywhere, or with bytes flipped, compares or is a UserError naming the file', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: good.length - 1 }),
      fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      }),
      async (cut, flips) => {
        const bytes = Buffer.from(good.slice(0, cut + 1))
        for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value
        assertClearError(await compareWith(bytes), `cut at ${cut}, flips ${JSON.stringify(flips)}`)
      },
    ),
    { numRuns: 150 },
  )
})

test('any JSON value in a store file compares or is a UserError naming the file', async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
      assertClearError(await compareWith(JSON.stringify(value) ?? 'null'), JSON.stringify(value))
    }),
    { numRuns: 150 },
  )
})

test('deep nesting inside an accepted report does not overflow the stack', async () => {
  for (const depth of [1_000, 100_000]) {
    const nested = '{"x":'.repeat(depth) + '1' + '}'.repeat(depth)
    // An unknown field and a package field, each nested depth levels deep.
    const text = good
      .replace('"manifest_hash"', `"deep_unknown_field":${nested},"manifest_hash"`)
      .replace('"kind":"binary"', `"kind":"binary","arch_extra":${nested}`)
    const outcome = await compareWith(text)
    // The reader accepts it (unknown fields are allowed), so the comparator has to walk it.
    assert.ok(outcome.ok, `nested ${depth} deep: ${outcome.ok ? '' : String(outcome.error)}`)
    const bare = '['.repeat(depth) + ']'.repeat(depth)
    assertClearError(await compareWith(bare), `an array nested ${depth} deep`)
  }
})

test('a huge report compares with memory that follows its size', async () => {
  const big: VulnerabilityReport = syntheticVulnerabilityReport({
    packages: 4000,
    matchesPerPackage: 3,
    seed: 5,
  })
  const text = JSON.stringify({ ...big, manifest_hash: DIGEST })
  const before = process.memoryUsage().rss
  const outcome = await compareWith(text)
  const grew = process.memoryUsage().rss - before
  assert.ok(outcome.ok, outcome.ok ? '' : String(outcome.error))
  // One manifest in memory at a time: the growth stays within a few times the file (two sides, parsed).
  assert.ok(
    grew < 40 * Buffer.byteLength(text),
    `rss grew ${grew} bytes for a ${Buffer.byteLength(text)}-byte report`,
  )
})
