import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import {
  checkQuayContract,
  checkQuayAnswer,
  contractRule,
  type ContractKind,
} from '../../../src/clair/contract.ts'
import { sharedFile, skipUnlessShared } from '../../support/shared.ts'

const DIGEST = 'sha256:' + 'a'.repeat(64)
const LAYER = 'sha256:' + 'b'.repeat(64)

const distribution = () => ({
  id: '7',
  did: 'debian',
  name: 'Debian GNU/Linux',
  version: '12 (bookworm)',
  version_code_name: 'bookworm',
  version_id: '12',
  arch: '',
  cpe: '',
  pretty_name: 'Debian GNU/Linux 12 (bookworm)',
})
const pkg = () => ({
  id: '31',
  name: 'openssl',
  version: '3.0.11-1~deb12u2',
  kind: 'binary',
  source: { id: '30', name: 'openssl', version: '3.0.11-1~deb12u2', kind: 'source' },
  normalized_version: '',
  arch: 'amd64',
  cpe: '',
  detector: 'urn:claircore:detector:dpkg:4:package',
})
const environments = () => ({
  '31': [
    { package_db: 'var/lib/dpkg/status', introduced_in: LAYER, distribution_id: '7', repository_ids: null },
  ],
})

function indexReport(): Record<string, unknown> {
  return {
    manifest_hash: DIGEST,
    state: 'IndexFinished',
    packages: { '31': pkg() },
    distributions: { '7': distribution() },
    repository: {},
    environments: environments(),
    success: true,
    err: '',
  }
}

function vulnerabilityReport(): Record<string, unknown> {
  return {
    manifest_hash: DIGEST,
    packages: { '31': pkg() },
    distributions: { '7': distribution() },
    repository: { '2': { id: '2', name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' } },
    environments: environments(),
    vulnerabilities: {
      '9001': {
        id: '9001',
        updater: 'debian/updater/bookworm',
        name: 'CVE-2024-0727',
        description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash',
        issued: '0001-01-01T00:00:00Z',
        links: 'https://security-tracker.debian.org/tracker/CVE-2024-0727',
        severity: 'low',
        normalized_severity: 'Low',
        package: { id: '', name: 'openssl', version: '', kind: 'binary' },
        distribution: { ...distribution(), id: '' },
        repository: { name: 'pypi', uri: 'https://pypi.org/simple' },
        fixed_in_version: '3.0.13-1~deb12u1',
        arch_op: 'equals',
      },
    },
    package_vulnerabilities: { '31': ['9001'] },
    enrichments: {},
  }
}

test('well-formed reports and index state keep the contract', () => {
  assert.deepEqual(checkQuayContract('index_report', indexReport()), [])
  assert.deepEqual(checkQuayContract('vulnerability_report', vulnerabilityReport()), [])
  assert.deepEqual(checkQuayContract('index_state', { state: 'aae368a064d7c5a433d0bf2c4f5554cc' }), [])
})

test('violations name the JSON path and the problem', () => {
  const ir = indexReport()
  delete ir['err']
  ;(ir['packages'] as Record<string, Record<string, unknown>>)['31']!['version'] = 3
  ir['distributions'] = null
  assert.deepEqual(checkQuayContract('index_report', ir).sort(), [
    'index_report/distributions: must be object, got null',
    'index_report/packages/31/version: must be string, got number',
    "index_report: missing required property 'err'",
  ])
  const vr = vulnerabilityReport()
  const vuln = (vr['vulnerabilities'] as Record<string, Record<string, unknown>>)['9001']!
  vuln['normalized_severity'] = 'Important'
  delete (vuln['distribution'] as Record<string, unknown>)['pretty_name']
  assert.deepEqual(checkQuayContract('vulnerability_report', vr).sort(), [
    "vulnerability_report/vulnerabilities/9001/distribution: missing required property 'pretty_name'",
    'vulnerability_report/vulnerabilities/9001/normalized_severity: must be one of Unknown, Negligible, Low, Medium, High, Critical',
  ])
  assert.deepEqual(checkQuayContract('index_state', '<html>'), ['index_state: must be object, got string'])
})

test('values never appear in violations (an err may carry a signed URL)', () => {
  const ir = indexReport()
  ir['err'] = { text: 'fetch https://bucket.s3/x?X-Amz-Signature=deadbeef failed' }
  const lines = checkQuayContract('index_report', ir)
  assert.equal(lines.length, 1)
  assert.ok(!lines.join().includes('deadbeef'))
})

test('a flood of violations is capped with a count of the rest', () => {
  const packages: Record<string, unknown> = {}
  for (let i = 0; i < 50; i++) packages[String(i)] = { id: String(i) }
  const lines = checkQuayContract('index_report', { ...indexReport(), packages })
  assert.equal(lines.length, 21)
  assert.match(lines.at(-1)!, /^index_report: and 80 more violations$/)
})

test('contractRule masks database ids so canary and production violations compare', () => {
  const broken = (vulnId: string, pkgId: string) => {
    const vr = vulnerabilityReport()
    const vulns = vr['vulnerabilities'] as Record<string, Record<string, unknown>>
    vulns[vulnId] = { ...vulns['9001']!, id: vulnId, range: { '[': '1.0', ')': '2.0' } }
    delete vulns['9001']
    vr['environments'] = { [pkgId]: [{ package_db: 'var/lib/dpkg/status', introduced_in: LAYER }] }
    return checkQuayContract('vulnerability_report', vr).map(contractRule).sort()
  }
  const canary = broken('77', '12')
  assert.deepEqual(canary, broken('123456', '31'))
  assert.deepEqual(canary, [
    "vulnerability_report/environments/*/*: missing required property 'distribution_id'",
    'vulnerability_report/vulnerabilities/*/range: must be string, got object',
  ])
  assert.equal(
    contractRule("index_report: missing required property 'err'"),
    "index_report: missing required property 'err'",
  )
})

test('POST index_report without an ETag breaks Quay', () => {
  assert.deepEqual(checkQuayAnswer('index', { status: 201, etag: 'aae368a064d7c5a433d0bf2c4f5554cc' }), [])
  assert.equal(checkQuayAnswer('index', { status: 201 }).length, 1)
  assert.equal(checkQuayAnswer('index', { status: 201, etag: '' }).length, 1)
  // GETs carry no ETag requirement; a failed POST is not judged on its headers.
  assert.deepEqual(checkQuayAnswer('index_report', { status: 200 }), [])
  assert.deepEqual(checkQuayAnswer('index', { status: 500, error: 'index_error' }), [])
})

// Every variant of a document with one node removed or replaced by a value of another JSON type.
function* mutations(doc: unknown): Generator<{ what: string; doc: unknown }> {
  const replacements: unknown[] = [null, 42, true, 'x', [], {}, [{}], ['x']]
  function* walk(node: unknown, path: string[]): Generator<{ what: string; doc: unknown }> {
    if (node === null || typeof node !== 'object') return
    for (const key of Object.keys(node)) {
      const here = [...path, key]
      if (!Array.isArray(node)) yield { what: `delete /${here.join('/')}`, doc: edit(doc, here, undefined) }
      for (const value of replacements)
        yield { what: `/${here.join('/')} = ${JSON.stringify(value)}`, doc: edit(doc, here, value) }
      yield* walk((node as Record<string, unknown>)[key], here)
    }
  }
  yield* walk(doc, [])
}

function edit(doc: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>
  const last = path.at(-1)!
  if (value === undefined) delete node[last]
  else node[last] = value
  return copy
}

const QUAY_SPEC = 'clair/quay-clair-v4.openapi.json'
const SCHEMA_OF: Record<ContractKind, string> = {
  index_report: 'IndexReport',
  vulnerability_report: 'VulnerabilityReport',
  index_state: 'State',
}

function quayValidators(): (kind: ContractKind, body: unknown) => string[] {
  const spec = JSON.parse(readFileSync(sharedFile(QUAY_SPEC)!, 'utf8')) as Record<string, unknown>
  // Quay runs Python jsonschema (latest draft) on one component with the whole file as the ref resolver.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  ajv.addSchema(spec, 'quay')
  const compiled = new Map(
    (Object.keys(SCHEMA_OF) as ContractKind[]).map((k) => [
      k,
      ajv.compile({ $ref: `quay#/components/schemas/${SCHEMA_OF[k]}` }),
    ]),
  )
  return (kind, body) => {
    const validate = compiled.get(kind)!
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`)
  }
}

const ours = (kind: ContractKind, body: unknown): string[] => checkQuayContract(kind, body)

test(
  "our schema agrees with Quay's clair-v4.openapi.json on valid and broken documents",
  { skip: skipUnlessShared(QUAY_SPEC) },
  () => {
    const quay = quayValidators()
    const originals: Array<[ContractKind, unknown]> = [
      ['index_report', indexReport()],
      ['vulnerability_report', vulnerabilityReport()],
      ['index_state', { state: 'aae368a064d7c5a433d0bf2c4f5554cc' }],
    ]
    let checked = 0
    let invalid = 0
    for (const [kind, original] of originals) {
      assert.deepEqual(quay(kind, original), [], `Quay accepts our ${kind} fixture`)
      for (const { what, doc } of [{ what: 'as is', doc: original }, ...mutations(original)]) {
        const quayErrors = quay(kind, doc)
        const ourErrors = ours(kind, doc)
        assert.equal(
          ourErrors.length === 0,
          quayErrors.length === 0,
          `${kind} ${what}: Quay says ${quayErrors.join('; ') || 'valid'}, we say ${ourErrors.join('; ') || 'valid'}`,
        )
        // Same places: each of our lines names a path Quay also complains about.
        const quayPaths = new Set(quayErrors.map((e) => e.split(' ')[0]))
        for (const line of ourErrors) {
          const path = line.slice(kind.length).split(':')[0]!
          assert.ok(
            quayPaths.has(path),
            `${kind} ${what}: we flag ${path}, Quay flags ${[...quayPaths].join(', ')}`,
          )
        }
        checked++
        if (quayErrors.length > 0) invalid++
      }
    }
    assert.ok(
      invalid > 100 && checked - invalid > 50,
      `a mix of valid (${checked - invalid}) and invalid (${invalid}) documents`,
    )
  },
)

const SAMPLES = 'clair/samples'

test(
  'the real Clair samples get the same verdict as Quay gives them, and complete ones pass',
  { skip: skipUnlessShared(SAMPLES) },
  (t) => {
    if (skipUnlessShared(QUAY_SPEC)) return t.skip(String(skipUnlessShared(QUAY_SPEC)))
    const quay = quayValidators()
    const dir = sharedFile(SAMPLES)!
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    assert.ok(files.length > 0)
    for (const file of files) {
      const body = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>
      const kind: ContractKind = 'vulnerabilities' in body ? 'vulnerability_report' : 'index_report'
      const ourErrors = ours(kind, body)
      assert.equal(ourErrors.length === 0, quay(kind, body).length === 0, `${file}: ${ourErrors.join('; ')}`)
      // claircore keeps some fixtures that are not whole HTTP answers (no `distributions`): Quay would reject
      // those too; every complete sample must pass.
      const required =
        kind === 'index_report'
          ? ['manifest_hash', 'state', 'packages', 'distributions', 'environments', 'success', 'err']
          : [
              'manifest_hash',
              'packages',
              'distributions',
              'environments',
              'vulnerabilities',
              'package_vulnerabilities',
            ]
      if (required.every((key) => key in body)) assert.deepEqual(ourErrors, [], file)
      else
        assert.ok(
          ourErrors.some((line) => line.includes('missing required property')),
          file,
        )
    }
  },
)

test('only a rule the canary breaks and production keeps counts against the canary', async () => {
  const { canaryOnlyViolations } = await import('../../../src/clair/contract.ts')
  const range = (side: 'canary' | 'production', id: string) => ({
    side,
    op: 'vulnerability_report',
    message: `vulnerability_report/vulnerabilities/${id}/range: must be string`,
  })
  const missingErr = {
    side: 'canary' as const,
    op: 'index_report',
    message: 'index_report: must have required property err',
  }
  // production breaks the range rule too (with other ids): shared, not a regression; the missing err is the canary's
  const kept = canaryOnlyViolations([range('production', '17'), range('canary', '9041'), missingErr])
  assert.deepEqual(kept, [missingErr])
})
