// compareStores over real report-store directories written to a temp dir.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compareStores } from '../../../src/compare/stores.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { openReportStore, writeJson } from '../../../src/rundir/io.ts'
import { STORE_FILES, indexReportFile, vulnerabilityReportFile } from '../../../src/rundir/layout.ts'
import { reencode } from '../../unit/compare/mutate.ts'
import { indexPart, syntheticVulnerabilityReport } from '../../unit/compare/synthetic.ts'
import type { VulnerabilityReport } from '../../../src/clair/types.ts'

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`

async function writeStore(
  dir: string,
  reports: Map<string, VulnerabilityReport>,
  extra: Record<string, unknown> = {},
) {
  for (const [d, vr] of reports) {
    await writeJson(indexReportFile(dir, d), indexPart(vr))
    await writeJson(vulnerabilityReportFile(dir, d), vr)
  }
  for (const [name, body] of Object.entries(extra)) await writeJson(join(dir, name), body)
}

test('compareStores: differences, only-in lists, coverage, noise from re-reads, expired rules', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'clair-canary-compare-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  const production = new Map<string, VulnerabilityReport>()
  const canary = new Map<string, VulnerabilityReport>()
  const reread = new Map<string, VulnerabilityReport>()
  for (let i = 1; i <= 4; i++) {
    const vr = {
      ...syntheticVulnerabilityReport({ packages: 6, matchesPerPackage: 1, seed: i, descriptionLength: 5 }),
      manifest_hash: digest(i),
    }
    production.set(digest(i), vr)
    canary.set(digest(i), reencode(vr, 100 + i))
  }
  production.set(digest(9), { ...production.get(digest(1))!, manifest_hash: digest(9) })
  // Manifest 2: the canary drops a package (code). Manifest 3: an extra package flaps between production reads (noise).
  const two = canary.get(digest(2))!
  const dropped = Object.keys(two.packages!)[0]!
  delete two.packages![dropped]
  delete two.environments![dropped]
  delete two.package_vulnerabilities![dropped]
  const three = structuredClone(canary.get(digest(3))!)
  three.packages!['77777'] = { id: '77777', name: 'flappy', version: '1', kind: 'binary' }
  three.environments!['77777'] = [
    { package_db: 'var/lib/dpkg/status', introduced_in: 'sha256:' + '1'.repeat(64), distribution_id: '' },
  ]
  canary.set(digest(3), three)
  reread.set(digest(3), three)

  const dirs = { production: join(root, 'p'), canary: join(root, 'c'), reread: join(root, 'pr') }
  const state = { [STORE_FILES.indexState]: { state: 'same' } }
  await writeStore(dirs.production, production, state)
  await writeStore(dirs.canary, canary, state)
  await writeStore(dirs.reread, reread)

  const rules = {
    ...DEFAULT_RULES,
    expected: [{ kind: 'state' as const, reason: 'old', expires: '2020-01-01' }],
  }
  const out = await compareStores(
    await openReportStore(dirs.production),
    await openReportStore(dirs.canary),
    {
      rules,
      today: '2026-06-01',
      rereads: { production: await openReportStore(dirs.reread) },
    },
  )
  assert.equal(out.compared, 4)
  assert.deepEqual(out.onlyIn, { production: [digest(9)], canary: [] })
  assert.deepEqual(
    out.diffs.map((d) => d.digest),
    [digest(2), digest(3)],
  )
  const [d2, d3] = out.diffs
  assert.equal(d2?.differences.length, 1)
  assert.equal(d2?.differences[0]?.change, 'removed')
  assert.equal(d2?.differences[0]?.attribution, 'code')
  assert.match(d2?.differences[0]?.why ?? '', /index states equal/)
  assert.equal(d3?.differences[0]?.key, 'flappy 1 (dpkg, var/lib/dpkg/status)')
  assert.equal(d3?.differences[0]?.attribution, 'noise')
  assert.equal(out.coverage.manifests, 4)
  assert.deepEqual(out.coverage.distributions, { 'Debian GNU/Linux 10 (buster)': 4 })
  assert.equal(out.coverage.updaters['debian-bullseye-updater'], 4)
  assert.equal(out.coverage.ecosystems['dpkg'], 4)
  assert.deepEqual(out.expiredRules, rules.expected)
  assert.deepEqual(out.newFields, [])
})
