import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { UserError } from '../../../src/errors.ts'
import { MAX_SHARDS, parseShard, partition, shardOf } from '../../../src/shard/partition.ts'

const digest = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => `sha256:${Buffer.from(bytes).toString('hex')}`)
const sample = fc
  .uniqueArray(digest, { maxLength: 60 })
  .map((digests) => digests.map((hash, n) => ({ manifest: { hash, layers: [] }, n })))
const total = fc.integer({ min: 1, max: MAX_SHARDS })

function legs<T extends { manifest: { hash: string } }>(items: T[], n: number): T[][] {
  return Array.from({ length: n }, (_, index) => partition(items, { index, total: n }))
}

test('parseShard: empty inputs mean no sharding', () => {
  assert.equal(parseShard('', ''), undefined)
  assert.equal(parseShard('  ', ''), undefined)
})

test('parseShard: whole numbers with 0 <= index < total <= 256', () => {
  assert.deepEqual(parseShard('0', '1'), { index: 0, total: 1 })
  assert.deepEqual(parseShard('3', '4'), { index: 3, total: 4 })
  assert.deepEqual(parseShard(' 255 ', '256'), { index: 255, total: 256 })
})

test('parseShard: a bad value is a UserError naming the input and what was expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['1', '', /shard-total is empty.*give both or neither/],
    ['', '4', /shard-index is empty.*give both or neither/],
    ['0', '0', /shard-total must be a whole number from 1 to 256.*"0"/],
    ['0', '257', /shard-total must be a whole number from 1 to 256.*"257"/],
    ['0', '2.5', /shard-total must be a whole number/],
    ['0', 'four', /shard-total must be a whole number/],
    ['0', '-1', /shard-total must be a whole number/],
    ['4', '4', /shard-index must be a whole number from 0 to 3.*"4"/],
    ['-1', '4', /shard-index must be a whole number from 0 to 3/],
    ['1.0', '4', /shard-index must be a whole number/],
    ['1e0', '4', /shard-index must be a whole number/],
  ]
  for (const [index, total, message] of cases)
    assert.throws(
      () => parseShard(index, total),
      (error: unknown) => error instanceof UserError && message.test(error.message),
      `${JSON.stringify(index)} / ${JSON.stringify(total)}`,
    )
})

test('shardOf: stable, in range, and one leg takes everything', () => {
  const d = `sha256:${'ab'.repeat(32)}`
  assert.equal(shardOf(d, 7), shardOf(d, 7))
  assert.equal(shardOf(d, 1), 0)
  assert.throws(() => shardOf(d, 0), RangeError)
  assert.throws(() => shardOf(d, 257), RangeError)
  fc.assert(
    fc.property(digest, total, (hash, n) => {
      const leg = shardOf(hash, n)
      assert.ok(Number.isInteger(leg) && leg >= 0 && leg < n)
    }),
  )
})

test('shardOf: a known digest lands on a known leg (other releases must agree, or a rerun reshuffles)', () => {
  // sha256("sha256:000…0") starts with 0xe191bc1a (printf | sha256sum).
  const zero = `sha256:${'0'.repeat(64)}`
  assert.equal(shardOf(zero, 4), 0xe191bc1a % 4)
  assert.equal(shardOf(zero, 7), 0xe191bc1a % 7)
})

test('partition: the legs are disjoint, their union is the sample, each keeps sample order', () => {
  fc.assert(
    fc.property(sample, fc.integer({ min: 1, max: 16 }), (items, n) => {
      const parts = legs(items, n)
      const seen = new Map<string, number>()
      parts.forEach((part, leg) => {
        for (const item of part) {
          assert.equal(seen.has(item.manifest.hash), false, `${item.manifest.hash} is in two legs`)
          seen.set(item.manifest.hash, leg)
        }
        const order = part.map((item) => item.n)
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
        )
      })
      assert.deepEqual([...seen.keys()].sort(), items.map((item) => item.manifest.hash).sort())
    }),
  )
})

test('partition: a manifest lands on the same leg whatever the sample order or the other manifests', () => {
  fc.assert(
    fc.property(
      sample,
      fc.integer({ min: 1, max: 16 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (items, n, seed) => {
        const shuffled = [...items]
        let s = seed
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0
          const j = s % (i + 1)
          ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
        }
        const legOf = (parts: Array<typeof items>) =>
          new Map(parts.flatMap((part, leg) => part.map((item) => [item.manifest.hash, leg] as const)))
        const before = legOf(legs(items, n))
        const after = legOf(legs(shuffled, n))
        const alone = legOf(legs(items.slice(0, Math.ceil(items.length / 2)), n))
        assert.deepEqual(after, before)
        for (const [hash, leg] of alone) assert.equal(before.get(hash), leg)
      },
    ),
  )
})

test('partition: one leg of one is the whole sample; an index out of range is refused', () => {
  const items = [1, 2, 3].map((n) => ({ manifest: { hash: `sha256:${String(n).repeat(64)}` } }))
  assert.deepEqual(partition(items, { index: 0, total: 1 }), items)
  assert.throws(() => partition(items, { index: 2, total: 2 }), RangeError)
})

test('partition: legs get a fair share of a large sample', () => {
  const items = Array.from({ length: 4000 }, (_, n) => ({
    manifest: { hash: `sha256:${n.toString(16).padStart(64, '0')}` },
  }))
  for (const part of legs(items, 4)) assert.ok(part.length > 800 && part.length < 1200, `${part.length}`)
})
