import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ecosystemOf } from '../../../src/compare/ecosystem.ts'
import { enricherOf, normaliseErr, normaliseIssued } from '../../../src/compare/values.ts'
import { emptyNoiseIndex } from '../../../src/compare/attribute.ts'
import { compareManifest as compare } from '../../../src/compare/compare.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { compareManifest, context } from './helpers.ts'
import { indexPart, syntheticVulnerabilityReport } from './synthetic.ts'
import type { IndexReport } from '../../../src/clair/types.ts'

test('ecosystemOf: package_db first, then repositories, then the normalized version kind', () => {
  const p = { normalized_version: '' }
  const cases: Array<[string, string]> = [
    ['var/lib/dpkg/status', 'dpkg'],
    ['bdb:var/lib/rpm', 'rpm'],
    ['sqlite:usr/lib/sysimage/rpm', 'rpm'],
    ['lib/apk/db/installed', 'apk'],
    ['python:usr/lib/python3.6/site-packages', 'python'],
    ['go:usr/bin/clair', 'go'],
    ['maven:opt/app/lib/jackson-databind-2.9.jar', 'java'],
    ['jar:opt/app.jar', 'java'],
    ['nodejs:usr/lib/node_modules/npm/package.json', 'npm'],
    ['ruby:usr/share/gems/specifications/rake.gemspec', 'ruby'],
    ['root/buildinfo/Dockerfile-ubi8-8.4-206', 'rhcc'],
  ]
  for (const [db, eco] of cases) assert.equal(ecosystemOf(p, { package_db: db }), eco, db)
  assert.equal(ecosystemOf(p, { package_db: 'somewhere' }, [{ name: 'pypi' }]), 'python')
  assert.equal(
    ecosystemOf(p, null, [{ name: 'Red Hat Container Catalog', key: 'rhcc-container-repository' }]),
    'rhcc',
  )
  assert.equal(ecosystemOf({ normalized_version: 'pep440:0.9.0.1.0.0.0.0.0.0' }), 'python')
  assert.equal(ecosystemOf(p), 'other')
})

test('zero issued dates in any zone are no date; others are compared as instants', () => {
  assert.equal(normaliseIssued('0001-01-01T00:00:00Z'), '')
  assert.equal(normaliseIssued('0000-12-31T18:09:24-05:50'), '')
  assert.equal(normaliseIssued(null), '')
  assert.equal(normaliseIssued('2023-10-18T02:00:00+02:00'), normaliseIssued('2023-10-18T00:00:00Z'))
})

test('err text loses URL query strings; enrichment types are keyed by enricher name', () => {
  assert.equal(
    normaliseErr('fetcher: GET "https://s3.example/l/sha256/ab?X-Amz-Signature=f00&X-Amz-Expires=600": 403'),
    'fetcher: GET "https://s3.example/l/sha256/ab": 403',
  )
  const old =
    'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json'
  const now =
    'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema'
  assert.equal(enricherOf(old), 'clair.cvss')
  assert.equal(enricherOf(now), enricherOf(old))
})

const base = syntheticVulnerabilityReport({
  packages: 6,
  matchesPerPackage: 2,
  seed: 3,
  descriptionLength: 5,
})

test('the enrichment schema URL change is not a difference; a changed CVSS score is', () => {
  const canary = structuredClone(base)
  const [type, value] = Object.entries(canary.enrichments!)[0]!
  delete canary.enrichments![type]
  canary.enrichments![type.replace(/schema=\S+/, 'schema=https://example/other')] = value
  const same = compareManifest({
    digest: 'x',
    production: { vulnerability: base },
    canary: { vulnerability: canary },
  })
  assert.deepEqual(same.differences, [])

  const map = value[0] as Record<string, Array<{ baseScore: number }>>
  const [vid, scores] = Object.entries(map)[0]!
  map[vid] = [{ ...scores[0]!, baseScore: 1.1 }]
  const diff = compareManifest({
    digest: 'x',
    production: { vulnerability: base },
    canary: { vulnerability: canary },
  })
  assert.equal(diff.differences.length, 1)
  const d = diff.differences[0]!
  assert.equal(d.kind, 'enrichment')
  assert.equal(d.updater, 'clair.cvss')
  assert.equal(d.key, `clair.cvss ${base.vulnerabilities![vid]!.name}`)
})

test('enrichment values are sets: the same records in another order are no difference', () => {
  const canary = structuredClone(base)
  const value = Object.values(canary.enrichments!)[0]!
  const map = value[0] as Record<string, unknown[]>
  const vid = Object.keys(map)[0]!
  const extra = { baseScore: 9.9, vectorString: 'CVSS:3.1/AV:N' }
  const production = structuredClone(base)
  ;(Object.values(production.enrichments!)[0]![0] as Record<string, unknown[]>)[vid]!.push(extra)
  map[vid] = [extra, ...map[vid]!]
  const same = compareManifest({
    digest: 'x',
    production: { vulnerability: production },
    canary: { vulnerability: canary },
  })
  assert.deepEqual(same.differences, [])
})

test("an enrichment difference is drift when the enriched vulnerability's updater data differs, code when nothing differs", () => {
  const canary = structuredClone(base)
  const map = Object.values(canary.enrichments!)[0]![0] as Record<string, Array<{ baseScore: number }>>
  const [vid, scores] = Object.entries(map)[0]!
  map[vid] = [{ ...scores[0]!, baseScore: 1.1 }]
  const updater = base.vulnerabilities![vid]!.updater
  const op = (fingerprint: string) => [
    { ref: 'r', updater, fingerprint, date: '2026-05-01T00:00:00Z', kind: 'vulnerability' },
  ]
  const enricherOps = {
    'clair.cvss': [
      {
        ref: 'e',
        updater: 'clair.cvss',
        fingerprint: 'same',
        date: '2026-05-01T00:00:00Z',
        kind: 'enrichment',
      },
    ],
  }
  const input = { digest: 'x', production: { vulnerability: base }, canary: { vulnerability: canary } }
  const enrichmentOperations = { production: enricherOps, canary: enricherOps }
  const drifted = compareManifest(input, {
    enrichmentOperations,
    updateOperations: { production: { [updater]: op('old') }, canary: { [updater]: op('new') } },
  }).differences[0]!
  assert.equal(drifted.kind, 'enrichment')
  assert.deepEqual(drifted.enriches, [updater])
  assert.equal(drifted.attribution, 'drift')
  assert.match(drifted.why!, new RegExp(`the enriched vulnerability's updater ${updater} differs`))
  const code = compareManifest(input, {
    enrichmentOperations,
    updateOperations: { production: { [updater]: op('same') }, canary: { [updater]: op('same') } },
  }).differences[0]!
  assert.equal(code.attribution, 'code')
})

test('detector is ignored by default, else compared only when both sides have one', () => {
  const p = indexPart(base)
  const c = structuredClone(p)
  const [id] = Object.keys(c.packages!)
  c.packages![id!]!.detector = 'urn:claircore:detector:dpkg:2:package'
  p.packages![id!] = { ...p.packages![id!]!, detector: 'urn:claircore:detector:dpkg:1:package' }
  const input = { digest: 'x', production: { index: p }, canary: { index: c } }
  assert.deepEqual(compareManifest(input).differences, [])
  const rules = { ...structuredClone(DEFAULT_RULES), ignoreDetector: false }
  const [d] = compareManifest(input, { rules }).differences
  assert.deepEqual(d?.after, { detector: 'urn:claircore:detector:dpkg:2:package' })
  const older = structuredClone(p)
  older.packages![id!]!.detector = null
  assert.deepEqual(compareManifest({ ...input, production: { index: older } }, { rules }).differences, [])
})

test('unknown fields are compared only when both sides have them, and always listed', () => {
  const p = structuredClone(base)
  const c = structuredClone(base)
  const [vid] = Object.keys(c.vulnerabilities!)
  c.vulnerabilities![vid!]!['Aliases'] = [{ space: 'cve', name: 'CVE-1' }]
  const sink = { newFields: new Set<string>() }
  assert.deepEqual(
    compare(
      { digest: 'x', production: { vulnerability: p }, canary: { vulnerability: c } },
      context(),
      emptyNoiseIndex(),
      sink,
    ).differences,
    [],
  )
  assert.deepEqual([...sink.newFields], ['vulnerability.Aliases'])
  p.vulnerabilities![vid!]!['Aliases'] = [{ space: 'cve', name: 'CVE-2' }]
  const diff = compare(
    { digest: 'x', production: { vulnerability: p }, canary: { vulnerability: c } },
    context(),
    emptyNoiseIndex(),
  )
  assert.equal(diff.differences.length, 2)
  assert.deepEqual(diff.differences.map((d) => d.change).sort(), ['added', 'removed'])
})

test('a package moved to another package_db is one environment change', () => {
  const p = indexPart(base)
  const c: IndexReport = structuredClone(p)
  const [id] = Object.keys(c.environments!)
  c.environments![id!]![0]!.package_db = 'var/lib/dpkg/status.d/extra'
  const diff = compareManifest({ digest: 'x', production: { index: p }, canary: { index: c } })
  assert.equal(diff.differences.length, 1)
  assert.equal(diff.differences[0]?.kind, 'environment')
  assert.deepEqual(diff.differences[0]?.after, { package_db: 'var/lib/dpkg/status.d/extra' })
})

test('a package found in another layer is an environment change keyed by package and layer', () => {
  const p = indexPart(base)
  const c: IndexReport = structuredClone(p)
  const [id] = Object.keys(c.environments!)
  const env = c.environments![id!]![0]!
  const layer = env.introduced_in
  env.introduced_in = 'sha256:' + 'f'.repeat(64)
  const diff = compareManifest({ digest: 'x', production: { index: p }, canary: { index: c } })
  assert.deepEqual(diff.differences.map((d) => [d.kind, d.change]).sort(), [
    ['environment', 'added'],
    ['environment', 'removed'],
  ])
  assert.ok(diff.differences.some((d) => d.key.endsWith(`@ ${layer.slice(0, 19)}`)))
})
