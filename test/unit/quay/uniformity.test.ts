// The chi-square test the sampler's uniformity tests rely on: right p-values, and it tells a biased draw from a
// uniform one of the same size.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { seededRandom } from '../../../src/seeded.ts'
import { chiSquareSf, chiSquareTest, countBy } from '../../support/stats.ts'

describe('chi-square goodness of fit', () => {
  it('gives textbook p-values', () => {
    // Closed forms: df 2 is exp(-x/2), df 4 is exp(-x/2)(1 + x/2); and the 5% points of df 1 and df 10.
    for (const x of [0.1, 1, 5, 20, 60]) {
      assert.ok(Math.abs(chiSquareSf(x, 2) - Math.exp(-x / 2)) < 1e-12, `df 2 at ${x}`)
      assert.ok(Math.abs(chiSquareSf(x, 4) - Math.exp(-x / 2) * (1 + x / 2)) < 1e-12, `df 4 at ${x}`)
    }
    assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-9)
    assert.ok(Math.abs(chiSquareSf(18.307038053275146, 10) - 0.05) < 1e-9)
    assert.equal(chiSquareSf(0, 3), 1)
  })

  it('accepts a uniform draw and rejects one that favours a category by a fifth', () => {
    const categories = ['a', 'b', 'c', 'd']
    const random = seededRandom('uniformity')
    const uniform = Array.from({ length: 2000 }, () => categories[Math.floor(random() * 4)]!)
    // 'a' drawn 1.2 times as often as each other category.
    const biased = Array.from({ length: 2000 }, () => {
      const u = random() * 4.2
      return u < 1.2 ? 'a' : categories[1 + Math.floor(u - 1.2)]!
    })
    const fair = chiSquareTest(
      countBy(uniform, categories, (x) => x),
      [1, 1, 1, 1],
    )
    const unfair = chiSquareTest(
      countBy(biased, categories, (x) => x),
      [1, 1, 1, 1],
    )
    assert.equal(fair.df, 3)
    assert.ok(fair.p > 0.01, `uniform draw: p = ${fair.p}`)
    assert.ok(unfair.p < 0.001, `biased draw: p = ${unfair.p}`)
  })

  it('weighs categories by their share of the population', () => {
    const result = chiSquareTest([300, 100], [3, 1])
    assert.equal(result.statistic, 0)
    assert.equal(result.p, 1)
    assert.throws(() => chiSquareTest([1], [1]), /same length, at least 2/)
    assert.throws(() => countBy(['z'], ['a'], (x) => x), /z is not a category/)
  })
})
