// Real reports from ../shared/clair/samples: each against a re-id'd, reordered copy of itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readSharedJson, skipUnlessShared } from '../../support/shared.ts'
import { compareManifest } from './helpers.ts'
import { reencode, withoutPackage } from './mutate.ts'
import type { IndexReport, VulnerabilityReport } from '../../../src/clair/types.ts'
import type { ManifestReports } from '../../../src/compare/compare.ts'

const SAMPLES = [
  'clair-rhel8-v3.5.5-4-indexreport.json',
  'docker.io-library-debian-10.index.json',
  'rhacs-main-rhel8.index.json',
  'vulnerabilityreport.json',
  'vulnerabilityreport_withenrichments.json',
]

function reports(r: IndexReport | VulnerabilityReport): ManifestReports {
  return 'vulnerabilities' in r ? { vulnerability: r } : { index: r as IndexReport }
}

for (const name of SAMPLES) {
  const file = `clair/samples/${name}`
  test(`${name}: a re-id'd, reordered copy has no differences`, { skip: skipUnlessShared(file) }, () => {
    const report = readSharedJson<IndexReport | VulnerabilityReport>(file)
    for (const seed of [1, 2, 3, 4, 5]) {
      const diff = compareManifest({
        digest: report.manifest_hash,
        production: reports(report),
        canary: reports(reencode(report, seed)),
      })
      assert.deepEqual(diff.differences, [], `seed ${seed}`)
    }
  })

  test(`${name}: a package removed from a copy is found`, { skip: skipUnlessShared(file) }, () => {
    const report = readSharedJson<IndexReport | VulnerabilityReport>(file)
    const ids = Object.keys(report.packages ?? {})
    // The package with the most vulnerability matches (or the first), so folding is exercised too.
    const pv = (report as VulnerabilityReport).package_vulnerabilities ?? {}
    const id = [...ids].sort((a, b) => (pv[b]?.length ?? 0) - (pv[a]?.length ?? 0))[0] as string
    const pkg = report.packages?.[id]
    assert.ok(pkg)
    const canary = reencode(withoutPackage(report, id), 7)
    const diff = compareManifest({
      digest: report.manifest_hash,
      production: reports(report),
      canary: reports(canary),
    })
    const removed = diff.differences.filter((d) => d.kind === 'package')
    assert.equal(removed.length, 1, JSON.stringify(diff.differences, null, 1))
    assert.equal(removed[0]?.change, 'removed')
    assert.ok(removed[0]?.key.startsWith(`${pkg.name} ${pkg.version} (`), removed[0]?.key)
    assert.equal(removed[0]?.vulnerabilities?.removed ?? 0, new Set(pv[id] ?? []).size)
    assert.deepEqual(
      diff.differences.filter((d) => d.kind === 'vulnerability'),
      [],
    )
  })
}
