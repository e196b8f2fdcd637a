import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { utf8Bytes } from '../../../src/format.ts'
import { truncateBytes, truncateChars } from '../../../src/github/limits.ts'
import { text as escapeMarkdown } from '../../../src/report/markdown.ts'

test('truncateBytes fits the budget, keeps a prefix and never splits a character', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.integer({ min: 4, max: 400 }),
      (text, max) => {
        const out = truncateBytes(text, max)
        assert.ok(utf8Bytes(out) <= max)
        if (utf8Bytes(text) <= max) return assert.equal(out, text)
        assert.ok(out.endsWith('…'))
        const head = out.slice(0, -1)
        assert.ok(text.startsWith(head), 'a prefix of the input')
      },
    ),
  )
})

test('truncateChars counts code points', () => {
  assert.equal(truncateChars('😀😀😀', 3), '😀😀😀')
  assert.equal(truncateChars('😀😀😀😀', 3), '😀😀…')
})

test('the markdown escaping the check output uses lets no HTML, link, emphasis or table cell break through', () => {
  const out = escapeMarkdown('a|b <script>x</script> [l](u) *e* _u_ `c`\nnext')
  assert.ok(!/<script>/.test(out))
  assert.ok(!/(^|[^\\])\|/.test(out))
  assert.ok(!out.includes('\n'))
  for (const raw of ['[l](u)', '*e*', '_u_', '`c`']) assert.ok(!out.includes(raw), raw)
})
