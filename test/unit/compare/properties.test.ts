import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { compareManifest } from './helpers.ts'
import { reencode } from './mutate.ts'
import { indexPart, syntheticVulnerabilityReport } from './synthetic.ts'
import type { Package, VulnerabilityReport } from '../../../src/clair/types.ts'

const shape = fc.record({
  packages: fc.integer({ min: 1, max: 40 }),
  matchesPerPackage: fc.integer({ min: 0, max: 4 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  descriptionLength: fc.constant(20),
})

function both(production: VulnerabilityReport, canary: VulnerabilityReport) {
  return compareManifest({
    digest: production.manifest_hash,
    production: { index: indexPart(production), vulnerability: production },
    canary: { index: indexPart(canary), vulnerability: canary },
  })
}

test('a report and itself with new ids, another map order and other empty forms have no differences', () => {
  fc.assert(
    fc.property(shape, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (o, seed) => {
      const report = syntheticVulnerabilityReport(o)
      const diff = both(report, reencode(report, seed))
      assert.deepEqual(diff.differences, [])
    }),
    { numRuns: 150 },
  )
})

test('a planted package removal is always found, once, as removed with its readable key', () => {
  fc.assert(
    fc.property(shape, fc.nat(), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (o, at, seed) => {
      const report = syntheticVulnerabilityReport(o)
      const ids = Object.keys(report.packages ?? {})
      const id = ids[at % ids.length] as string
      const pkg = report.packages?.[id] as Package
      const matches = report.package_vulnerabilities?.[id]?.length ?? 0
      const canary = structuredClone(report)
      delete canary.packages?.[id]
      delete canary.environments?.[id]
      delete canary.package_vulnerabilities?.[id]
      const diff = both(report, reencode(canary, seed))

      const packages = diff.differences.filter((d) => d.kind === 'package')
      assert.equal(packages.length, 1)
      const d = packages[0]!
      assert.equal(d.change, 'removed')
      const python = pkg.name.startsWith('py-')
      const where = python ? 'python, python:usr/lib/python3/site-packages' : 'dpkg, var/lib/dpkg/status'
      assert.equal(d.key, `${pkg.name} ${pkg.version} (${where})`)
      assert.equal(d.ecosystem, python ? 'python' : 'dpkg')
      // Its vulnerabilities are a consequence: folded onto it, not reported one by one.
      assert.equal(d.vulnerabilities?.removed ?? 0, matches)
      assert.deepEqual(
        diff.differences.filter((x) => x.kind === 'vulnerability'),
        [],
      )
    }),
    { numRuns: 150 },
  )
})

test('a planted version change is one changed package with before and after versions', () => {
  fc.assert(
    fc.property(shape, fc.nat(), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (o, at, seed) => {
      const report = syntheticVulnerabilityReport(o)
      const ids = Object.keys(report.packages ?? {})
      const id = ids[at % ids.length] as string
      const canary = structuredClone(report)
      const pkg = canary.packages?.[id] as Package
      const before = pkg.version
      pkg.version = `${before}.1`
      const diff = both(report, reencode(canary, seed))

      assert.equal(diff.differences.length, 1)
      const d = diff.differences[0]!
      assert.equal(d.kind, 'package')
      assert.equal(d.change, 'changed')
      assert.ok(d.key.startsWith(`${pkg.name} ${before} (`), d.key)
      assert.deepEqual(d.before, { version: before })
      assert.deepEqual(d.after, { version: `${before}.1` })
    }),
    { numRuns: 150 },
  )
})
