// Fuzzing the report reader and the comparator (issue 11): malformed, huge and deeply nested answers. The shape
// check never throws and either accepts or says why in a few words; whatever it accepts, the comparator compares
// without crashing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { reportProblem } from '../../../src/clair/shape.ts'
import { compareManifest } from './helpers.ts'
import type { IndexReport, VulnerabilityReport } from '../../../src/clair/types.ts'

const DIGEST = `sha256:${'e'.repeat(64)}`

/** JSON values with report-like keys mixed in, so the fuzzer reaches past the first checks. */
const reportish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    tie('report'),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
  report: fc.record(
    {
      manifest_hash: fc.oneof(fc.constant(DIGEST), fc.string(), fc.integer()),
      state: fc.oneof(fc.constant('IndexFinished'), fc.constant('IndexError'), fc.jsonValue()),
      packages: fc.oneof(
        fc.constant(null),
        fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
        fc.jsonValue(),
      ),
      distributions: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })),
      environments: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })),
      vulnerabilities: fc.oneof(
        fc.constant(null),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
      ),
      package_vulnerabilities: fc.oneof(
        fc.constant(null),
        fc.dictionary(fc.string(), fc.array(fc.string()), { maxKeys: 3 }),
      ),
    },
    { requiredKeys: [] },
  ),
}))

test('the shape check never throws: a report, or a few words on why not', () => {
  fc.assert(
    fc.property(
      reportish.value,
      fc.constantFrom<'index' | 'vulnerability'>('index', 'vulnerability'),
      (body, kind) => {
        const problem = reportProblem(kind, body, DIGEST)
        assert.ok(
          problem === undefined || (problem.length > 0 && problem.length < 120 && !problem.includes('\n')),
        )
      },
    ),
    { numRuns: 2000 },
  )
})

test('whatever the shape check accepts, the comparator compares without crashing', () => {
  let accepted = 0
  fc.assert(
    fc.property(reportish.report, reportish.report, (a, b) => {
      const pa = { ...a, manifest_hash: DIGEST }
      const pb = { ...b, manifest_hash: DIGEST }
      for (const r of [pa, pb])
        if (reportProblem('index', r, DIGEST) || reportProblem('vulnerability', r, DIGEST)) return
      accepted++
      try {
        compareManifest({
          digest: DIGEST,
          production: {
            index: pa as unknown as IndexReport,
            vulnerability: pa as unknown as VulnerabilityReport,
          },
          canary: {
            index: pb as unknown as IndexReport,
            vulnerability: pb as unknown as VulnerabilityReport,
          },
        })
      } catch (error) {
        // A TypeError here is a crash on an answer the reader let through.
        assert.fail(`compare crashed on an accepted report: ${String(error)}`)
      }
    }),
    { numRuns: 1000 },
  )
  assert.ok(accepted > 0, 'the fuzzer produced reports the reader accepts')
})

test('deeply nested and huge answers: the shape check stays bounded', () => {
  let deep: unknown = {}
  for (let i = 0; i < 10_000; i++) deep = { packages: deep }
  assert.equal(reportProblem('index', deep, DIGEST), 'no manifest_hash')
  const huge = {
    manifest_hash: DIGEST,
    state: 'IndexFinished',
    packages: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [String(i), { id: String(i) }])),
  }
  assert.equal(reportProblem('index', huge, DIGEST), undefined)
  assert.equal(reportProblem('vulnerability', [huge], DIGEST), 'not a JSON object (an array)')
})
