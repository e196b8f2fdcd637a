import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requestErrorText, truncateMiddle } from '../../src/format.ts'

test('truncateMiddle keeps the start and the end, cut at words, within max characters', () => {
  const text =
    'failed to start scan: failed to scan all layer contents: failed to fetch layer 3 of 9: unexpected status code: 403 Forbidden'
  assert.equal(truncateMiddle(text, 500), text)
  const cut = truncateMiddle(text, 70)
  assert.ok(Array.from(cut).length <= 70, cut)
  assert.equal(cut, 'failed to start scan: … of 9: unexpected status code: 403 Forbidden')
  // One long word: cut inside it rather than lose everything.
  const word = truncateMiddle('x'.repeat(100), 10)
  assert.equal(word, `${'x'.repeat(2)} … ${'x'.repeat(5)}`)
  assert.equal(truncateMiddle('one\ntwo', 20), 'one two')
})

test('requestErrorText drops the request a record message starts with, and only that', () => {
  assert.equal(
    requestErrorText(
      'canary POST /indexer/api/v1/index_report: HTTP 500: internal-error: failed to start scan: EOF',
    ),
    'HTTP 500: internal-error: failed to start scan: EOF',
  )
  assert.equal(
    requestErrorText('production GET /matcher/api/v1/vulnerability_report/sha256:ab: HTTP 404: not-found'),
    'HTTP 404: not-found',
  )
  assert.equal(requestErrorText('client failed: boom'), 'client failed: boom')
})
