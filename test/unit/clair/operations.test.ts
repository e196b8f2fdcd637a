import { test } from 'node:test'
import assert from 'node:assert/strict'
import { latestOperation, latestOperations } from '../../../src/clair/operations.ts'
import type { UpdateOperation } from '../../../src/clair/types.ts'

const op = (fingerprint: string, date: string): UpdateOperation => ({
  ref: fingerprint,
  updater: 'debian/updater/bookworm',
  fingerprint,
  date,
  kind: 'vulnerability',
})

test('the latest update operation is the newest instant, whatever the listed order or the offset', () => {
  // 10:00+02:00 is 08:00Z: earlier than 09:00Z although it sorts later as text.
  const ops = [
    op('a', '2026-11-21T10:00:00+02:00'),
    op('b', '2026-11-21T09:00:00Z'),
    op('c', '2026-11-20T23:59:59Z'),
  ]
  assert.equal(latestOperation(ops)?.fingerprint, 'b')
  assert.equal(latestOperation([...ops].reverse())?.fingerprint, 'b')
  assert.equal(latestOperation([]), undefined)
  assert.equal(latestOperation(undefined), undefined)
})

test('latestOperations keeps one operation per updater and skips what is not a list', () => {
  const body = { u1: [op('x', '2026-01-01T00:00:00Z'), op('y', '2026-02-01T00:00:00Z')], u2: [], u3: 'oops' }
  const latest = latestOperations(body as unknown as Record<string, UpdateOperation[]>)
  assert.deepEqual(Object.keys(latest), ['u1'])
  assert.equal(latest['u1']?.fingerprint, 'y')
})
