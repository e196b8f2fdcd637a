// Known values come from R (quantile, wilcox.test, binom.test) and were cross-checked with scipy 1.17.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  binomialCdf,
  binomialSf,
  binomialTest,
  erfc,
  lnGamma,
  mcnemarExact,
  median,
  medianInterval,
  normalCdf,
  normalSf,
  quantiles,
  wilcoxonSignedRank,
} from '../../../src/judge/statistics.ts'

function close(actual: number, expected: number, relative = 1e-9): void {
  const tolerance = Math.max(Math.abs(expected) * relative, 1e-300)
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${relative} of ${expected}`)
}

test('quantiles are type 7 (R default)', () => {
  assert.deepEqual(quantiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [0, 0.5, 1]), [1, 5.5, 10])
  close(quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.95])[0]!, 9.55)
  close(quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.99])[0]!, 9.91)
  close(quantiles([15, 1, 7, 3], [0.3])[0]!, 2.8)
  assert.equal(median([3, 100, 1]), 3)
  assert.ok(Number.isNaN(median([])))
})

test('quantiles sort numerically, not as strings', () => {
  assert.equal(median([9, 10, 100]), 10)
})

test('quantiles lie between min and max and are monotone in p', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (xs) => {
      const [a, b, c] = quantiles(xs, [0.1, 0.5, 0.9])
      assert.ok(a! <= b! && b! <= c!)
      assert.ok(a! >= Math.min(...xs) && c! <= Math.max(...xs))
    }),
  )
})

test('erfc and the normal tails match reference values', () => {
  close(erfc(0.5), 0.4795001221869535, 1e-14)
  close(erfc(1), 0.15729920705028516, 1e-14)
  close(erfc(2.5), 0.00040695201744495886, 1e-12)
  close(erfc(3), 2.2090496998585445e-5, 1e-12)
  close(erfc(5), 1.5374597944280347e-12, 1e-12)
  close(erfc(10), 2.0884875837625446e-45, 1e-12)
  close(erfc(-1), 2 - 0.15729920705028516, 1e-14)
  close(normalCdf(1.959963984540054), 0.975, 1e-12)
  close(normalSf(6), 9.865876450376946e-10, 1e-12)
  close(normalSf(10), 7.61985302416047e-24, 1e-12)
})

test('lnGamma matches log factorials', () => {
  close(lnGamma(10), Math.log(362880), 1e-13)
  close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-13)
  close(lnGamma(101), 363.73937555556347, 1e-13)
})

test('exact binomial tails', () => {
  close(binomialCdf(1, 10), 11 / 1024, 1e-12)
  close(binomialSf(9, 10), 11 / 1024, 1e-12)
  assert.equal(binomialCdf(10, 10), 1)
  assert.equal(binomialSf(0, 10), 1)
  // binom.test(1, 21): 2.098083e-05
  close(binomialTest(1, 21).pTwoSided, 2.09808349609375e-5, 1e-10)
  close(binomialTest(0, 0).pTwoSided, 1)
})

test('exact McNemar: 0 vs 3 discordant pairs is not significant on its own', () => {
  const r = mcnemarExact(3, 0)
  close(r.pTwoSided, 0.25, 1e-12)
  close(r.pGreater, 0.125, 1e-12)
  assert.equal(r.pLess, 1)
})

test('Wilcoxon signed-rank, exact: the Hollander & Wolfe depression data from R ?wilcox.test', () => {
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
  const r = wilcoxonSignedRank(x.map((v, i) => v - y[i]!))
  assert.equal(r.exact, true)
  assert.equal(r.wPlus, 40)
  close(r.pGreater, 0.01953125, 1e-12)
  close(r.pTwoSided, 0.0390625, 1e-12)
})

test('Wilcoxon signed-rank, normal approximation with ties and a zero (R and scipy agree)', () => {
  const d = [1, 2, 2, 3, -1, 4, 5, 5, 0, 6, -2, 7, 8, 9, 3, -3, 10, 11, 12, 4]
  const r = wilcoxonSignedRank(d)
  assert.equal(r.exact, false)
  assert.equal(r.n, 19)
  assert.equal(r.zeros, 1)
  assert.equal(r.wPlus, 177.5)
  close(r.pTwoSided, 0.0009547269234828143, 1e-9)
  close(r.pGreater, 0.00047736346174140717, 1e-9)
  close(r.pLess, 0.9995868423438369, 1e-9)
})

test('Wilcoxon signed-rank of all-zero differences is not significant', () => {
  const r = wilcoxonSignedRank([0, 0, 0])
  assert.equal(r.pTwoSided, 1)
  assert.equal(r.n, 0)
})

test('Wilcoxon p-values are symmetric under negation', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 80 }), (xs) => {
      const a = wilcoxonSignedRank(xs)
      const b = wilcoxonSignedRank(xs.map((x) => -x))
      close(a.pGreater, b.pLess, 1e-9)
      close(a.pTwoSided, b.pTwoSided, 1e-9)
    }),
  )
})

test('median interval by sign-test inversion', () => {
  const xs = Array.from({ length: 20 }, (_, i) => 20 - i)
  const r = medianInterval(xs, 0.95)
  assert.equal(r.median, 10.5)
  assert.equal(r.lower, 6)
  assert.equal(r.upper, 15)
  close(r.level!, 1 - 2 * binomialCdf(5, 20), 1e-12)
  assert.ok(r.level! >= 0.95)
  assert.equal(medianInterval([1, 2, 3], 0.95).lower, null)
})
