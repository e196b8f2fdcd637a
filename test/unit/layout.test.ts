import { test } from 'node:test'
import assert from 'node:assert/strict'
import { digestFileStem, parseReportFileName } from '../../src/rundir/layout.ts'

const hex = 'ab'.repeat(32)

test('digests become file stems without a colon and back', () => {
  assert.equal(digestFileStem(`sha256:${hex}`), `sha256-${hex}`)
  assert.deepEqual(parseReportFileName(`sha256-${hex}.vuln.json`), {
    digest: `sha256:${hex}`,
    report: 'vulnerability',
  })
  assert.deepEqual(parseReportFileName(`sha256-${hex}.index.json`), {
    digest: `sha256:${hex}`,
    report: 'index',
  })
  assert.equal(parseReportFileName('index_state.json'), null)
})

test('a string that is not a digest is refused', () => {
  assert.throws(() => digestFileStem('sha256:xyz'), /not a digest/)
  assert.throws(() => digestFileStem('../etc/passwd'), /not a digest/)
})
