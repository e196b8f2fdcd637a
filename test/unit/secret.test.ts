import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { Secret } from '../../src/secret.ts'

test('a Secret never prints its value', () => {
  const s = new Secret('hunter2')
  // The template literal is the point: a Secret must not print even there.
  // eslint-disable-next-line @typescript-eslint/restrict-template-expressions
  const shown = [JSON.stringify({ s }), String(s), `${s}`, inspect(s), inspect({ nested: { s } })]
  for (const text of shown) assert.ok(!text.includes('hunter2'), text)
  assert.equal(s.reveal(), 'hunter2')
})
