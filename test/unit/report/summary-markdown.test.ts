import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import he from 'he'
import { code, codeCell, table, text } from '../../../src/report/markdown.ts'

test('text escapes HTML, markdown syntax, math, mentions and pipes, and stays on one line', () => {
  const out = text('a|b <script>`x` *y* _z_ [l](u) ~s~ $m$ @team #1 \\ \n next')
  assert.equal(out.includes('\n'), false)
  for (const raw of ['|', '<', '>', '`', '*', '_', '[', ']', '~', '$', '@', '\\'])
    assert.equal(out.includes(raw), false, raw)
  assert.equal(he.decode(out), 'a|b <script>`x` *y* _z_ [l](u) ~s~ $m$ @team #1 \\   next')
})

// Characters markdown, HTML or GitHub treat specially, plus non-ASCII (full-unicode generation is slow here).
const TRICKY = [...'|<>`*_[]~$@#&;\\\n\r\t é😀\u2028ab']

test('text round-trips through entity decoding for any string (nothing lost, nothing raw)', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: fc.constantFrom(...TRICKY) })),
      (s) => {
        const out = text(s)
        assert.equal(/[|<>`*_[\]~$@\\\n\r]/.test(out), false)
        // Control characters and line separators become one space each run.
        // eslint-disable-next-line no-control-regex
        assert.equal(he.decode(out), s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' '))
      },
    ),
  )
})

test('text truncates by code points with an ellipsis', () => {
  assert.equal(he.decode(text('abcdef', 4)), 'abc…')
  assert.equal(he.decode(text('😀😀😀', 2)), '😀…')
})

test('code spans fence past any backtick run', () => {
  assert.equal(code('plain'), '`plain`')
  assert.equal(code('a `b` c'), '``a `b` c``')
  assert.equal(code('`edge`'), '`` `edge` ``')
  assert.equal(code('a|b'), '`a|b`')
  assert.equal(code('  '), text('  '))
})

test('code cells escape pipes for GFM tables', () => {
  assert.equal(codeCell('we|rd'), '`we\\|rd`')
  assert.equal(codeCell('x\ny'), '`x y`')
})

test('table: whole rows of the header width, newlines never split a row', () => {
  const md = table(['A', 'B'], [['1', 'x\ny'], ['2'], ['3', '4', 'extra']], ['l', 'r'])
  const lines = md.split('\n')
  assert.equal(lines.length, 5)
  assert.equal(lines[1], '| :- | -: |')
  for (const line of lines) assert.equal((line.match(/\|/g) ?? []).length, 3, line)
})
