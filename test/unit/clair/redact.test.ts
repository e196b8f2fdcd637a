import { test } from 'node:test'
import assert from 'node:assert/strict'
import { redactText } from '../../../src/clair/redact.ts'

test('URLs in text lose query strings, fragments and userinfo', () => {
  const text =
    'failed to start scan: fetcher: GET "https://bucket.s3.amazonaws.com/sha256/e6/e623?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123#frag": 403 and https://robot:pa55@quay.example/v2/ns/repo/blobs/sha256:e6'
  const safe = redactText(text)
  assert.equal(
    safe,
    'failed to start scan: fetcher: GET "https://bucket.s3.amazonaws.com/sha256/e6/e623": 403 and https://quay.example/v2/ns/repo/blobs/sha256:e6',
  )
})

test('signature parameters and bearer tokens outside a URL are redacted', () => {
  const safe = redactText(
    'retry with X-Amz-Signature=deadbeef&Expires=1700 using Authorization: Bearer eyJhbGciOi.x.y',
  )
  assert.ok(!safe.includes('deadbeef'))
  assert.ok(!safe.includes('eyJhbGciOi'))
  assert.match(safe, /X-Amz-Signature=\[redacted\]/)
  assert.match(safe, /Bearer \[redacted\]/)
})

test('messages are one line and bounded', () => {
  assert.equal(redactText('line one\n  line two\r\n\tthree'), 'line one line two three')
  const long = redactText('x'.repeat(5000))
  assert.ok(long.length <= 600)
  assert.ok(long.includes('…'))
})

test("a long error keeps its start and its cause: Clair's wrapped errors end with what went wrong", () => {
  const layers = Array.from(
    { length: 12 },
    (_, i) =>
      `failed to fetch layer ${i} from https://blobs.example/v2/ns/repo/blobs/sha256:${String(i).repeat(64)}`,
  ).join(': ')
  const text = redactText(
    `canary POST /indexer/api/v1/index_report: HTTP 500: internal-error: failed to start scan: ${layers}: unexpected status code: 403 Forbidden (body starts: "access denied: expired")`,
  )
  assert.ok(Array.from(text).length <= 600, `${text.length} characters`)
  assert.match(
    text,
    /^canary POST \/indexer\/api\/v1\/index_report: HTTP 500: internal-error: failed to start scan/,
  )
  assert.match(text, /…/)
  assert.match(text, /unexpected status code: 403 Forbidden \(body starts: "access denied: expired"\)$/)
})
