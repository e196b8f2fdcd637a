// Contract tests: the stand-in's answers against Clair's own OpenAPI description and against the
// older schema Quay validates every Clair answer with. Both live in ../shared and are read, not copied.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { Manifest } from '../../../src/clair/types.ts'
import { startBlobServer, type BlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus } from '../../../standin/corpus.ts'
import { startClairStandin, type ClairStandin } from '../../../standin/server.ts'
import { sharedFile, skipUnlessShared } from '../../support/shared.ts'
import { clair, post } from './helpers.ts'

// ajv-formats is CommonJS with a default export that TypeScript's NodeNext view does not see as callable.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

const CLAIR_SPEC = 'clair/openapi.json'
const QUAY_SPEC = 'clair/quay-clair-v4.openapi.json'
const skip = skipUnlessShared(CLAIR_SPEC) || skipUnlessShared(QUAY_SPEC)

type Json = Record<string, unknown>
const at = (value: unknown, ...keys: string[]): Json => {
  let v = value
  for (const k of keys) v = (v as Json | undefined)?.[k]
  if (typeof v !== 'object' || v === null) throw new Error(`spec has no ${keys.join(' > ')}`)
  return v as Json
}

/**
 * Clair's spec, patched where FACTS.md section 1.6 says the implementation (what a real Clair
 * sends, and so what the stand-in sends) deviates from it. Each patch names the deviation:
 * - Package kind: the spec says BINARY/SOURCE, claircore encodes "binary"/"source".
 * - Extra keys: packages carry `detector` (claircore >= v1.5.49) and vulnerabilities `Self` and `Aliases`
 *   (claircore >= v1.5.52, fields without JSON tags), though the spec forbids extra keys.
 * - CPE: an absent CPE is "" in real reports (samples/), which neither spec pattern admits.
 * - Environment repository_ids: null when there are none (samples/), the spec says array.
 * - Vulnerability arch_op: omitted when unset (omitempty), the spec requires it beside `package`.
 * - Repository id: omitted inside vulnerabilities (omitempty, samples/), the spec requires it.
 * - Vulnerability report status: 200, not the spec's 201 (asserted separately below).
 */
function clairValidator() {
  const spec = JSON.parse(readFileSync(sharedFile(CLAIR_SPEC) as string, 'utf8')) as Json
  const schemas = at(spec, 'components', 'schemas')
  const pkg = at(schemas, 'package')
  at(pkg, 'properties', 'kind')['enum'] = ['BINARY', 'SOURCE', 'binary', 'source']
  delete pkg['additionalProperties']
  const cpe = at(schemas, 'cpe')
  cpe['oneOf'] = [...(cpe['oneOf'] as unknown[]), { const: '' }]
  at(schemas, 'environment', 'properties')['repository_ids'] = {
    oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }],
  }
  Object.assign(at(schemas, 'vulnerability', 'properties'), {
    Self: { type: 'object', properties: { space: { type: 'string' }, name: { type: 'string' } } },
    Aliases: { oneOf: [{ type: 'array' }, { type: 'null' }] },
  })
  delete at(schemas, 'vulnerability_core')['dependentRequired']
  delete at(schemas, 'repository')['required']

  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  for (const schema of Object.values(schemas)) ajv.addSchema(schema as Json)
  const component = (ref: string) => {
    const name = ref.replace('#/components/schemas/', '')
    return at(schemas, name)['$id'] as string
  }
  /** The schema $id for a documented response, following the document's own $refs. */
  const responseSchema = (path: string, method: string, status: string): string => {
    let response = at(spec, 'paths', path, method, 'responses', status)
    if (typeof response['$ref'] === 'string') {
      response = at(spec, 'components', 'responses', response['$ref'].replace('#/components/responses/', ''))
    }
    return component(at(response, 'content', 'application/json', 'schema')['$ref'] as string)
  }
  return {
    response(path: string, method: string, status: string, body: unknown) {
      const validate = ajv.getSchema(responseSchema(path, method, status))
      assert.ok(validate, `no schema for ${method} ${path} ${status}`)
      assert.ok(validate(body), `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`)
    },
    schema(name: string, body: unknown) {
      const validate = ajv.getSchema(at(schemas, name)['$id'] as string)
      assert.ok(validate, name)
      assert.ok(validate(body), `${name}: ${ajv.errorsText(validate.errors)}`)
    },
  }
}

/** Quay's copy (OpenAPI 3.0), used exactly as Quay's is_valid_response uses it: no patches. */
function quayValidator() {
  const spec = JSON.parse(readFileSync(sharedFile(QUAY_SPEC) as string, 'utf8')) as Json
  const ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addSchema({ ...spec, $id: 'quay' })
  return (name: string, body: unknown) => {
    const validate = ajv.compile({ $ref: `quay#/components/schemas/${name}` })
    assert.ok(validate(body), `Quay ${name}: ${ajv.errorsText(validate.errors)}`)
  }
}

describe('contract: the stand-in against Clair’s and Quay’s OpenAPI descriptions', { skip }, () => {
  const images = generateCorpus({ seed: 'contract', count: 12 })
  let blobs: BlobServer
  let standin: ClairStandin
  let manifests: Manifest[]
  let spec: ReturnType<typeof clairValidator>
  let quay: ReturnType<typeof quayValidator>
  before(async () => {
    spec = clairValidator()
    quay = quayValidator()
    blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    standin = await startClairStandin({ seed: 'contract', concurrencyLimit: -1 })
    manifests = corpusManifests(images, blobs.url)
  })
  after(async () => {
    await standin?.close()
    await blobs?.close()
  })

  test('the validators reject what breaks the contract', () => {
    const broken = {
      manifest_hash: 'sha256:nothex',
      success: true,
      packages: { 1: { id: '1', name: 'x', version: '1', kind: 'weird' } },
    }
    assert.throws(
      () => spec.response('/indexer/api/v1/index_report/{digest}', 'get', '200', broken),
      /state|kind|manifest_hash/,
    )
    assert.throws(() => quay('IndexReport', broken), /required property/)
    assert.throws(() => spec.schema('manifest', { hash: 'sha256:nothex', layers: [{ hash: 'x' }] }))
  })

  test('corpusManifests produces valid Manifest bodies (Clair and Quay)', () => {
    for (const m of manifests) {
      spec.schema('manifest', m)
      quay('Manifest', m)
    }
  })

  test('index reports: POST 201 and GET 200', async () => {
    for (const m of manifests) {
      const created = await post(standin.url, m)
      assert.equal(created.status, 201)
      spec.response('/indexer/api/v1/index_report', 'post', '201', created.json())
      quay('IndexReport', created.json())
      const got = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)
      spec.response('/indexer/api/v1/index_report/{digest}', 'get', '200', got.json())
      quay('IndexReport', got.json())
    }
  })

  test('an IndexError report is still a valid index report', async () => {
    const bad = `sha256:${'ab'.repeat(32)}`
    const m: Manifest = {
      hash: `sha256:${'cd'.repeat(32)}`,
      layers: [{ hash: bad, uri: `${blobs.url}/blobs/${bad}`, headers: {} }],
    }
    const res = await post(standin.url, m)
    assert.equal(res.status, 500)
    spec.response('/indexer/api/v1/index_report', 'post', 'default', res.json())
    quay('Error', res.json())
    const got = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)
    spec.response('/indexer/api/v1/index_report/{digest}', 'get', '200', got.json())
    quay('IndexReport', got.json())
  })

  test('vulnerability reports: 200 (the implementation; the spec documents 201) with the 201 schema', async () => {
    let vulnerabilities = 0
    for (const m of manifests) {
      await post(standin.url, m)
      const res = await clair(standin.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)
      assert.equal(res.status, 200)
      const body = res.json() as { vulnerabilities: Json }
      vulnerabilities += Object.keys(body.vulnerabilities).length
      spec.response('/matcher/api/v1/vulnerability_report/{digest}', 'get', '201', body)
      quay('VulnerabilityReport', body)
      for (const v of Object.values(body.vulnerabilities)) quay('Vulnerability', v)
    }
    assert.ok(vulnerabilities > 0, 'some vulnerabilities were validated')
  })

  test('index_state, update_operation and bulk delete', async () => {
    const state = await clair(standin.url, '/indexer/api/v1/index_state')
    spec.response('/indexer/api/v1/index_state', 'get', '200', state.json())
    quay('State', state.json())
    for (const query of [
      '?latest=true',
      '?kind=enrichment&latest=true',
      '?kind=vulnerability&latest=false',
    ]) {
      const ops = await clair(standin.url, `/matcher/api/v1/internal/update_operation${query}`)
      spec.response('/matcher/api/v1/internal/update_operation', 'get', '200', ops.json())
    }
    const m = manifests[0] as Manifest
    const deleted = await clair(standin.url, '/indexer/api/v1/index_report', {
      method: 'DELETE',
      body: [m.hash],
    })
    spec.response('/indexer/api/v1/index_report', 'delete', '200', deleted.json())
  })

  test('error bodies: 400, 404 and 429', async () => {
    const bogus = await post(standin.url, { hash: '', layers: [] })
    spec.response('/indexer/api/v1/index_report', 'post', '400', bogus.json())
    quay('Error', bogus.json())
    const missing = await clair(standin.url, `/indexer/api/v1/index_report/sha256:${'0'.repeat(64)}`)
    spec.response('/indexer/api/v1/index_report/{digest}', 'get', '404', missing.json())
    quay('Error', missing.json())
    const limited = await startClairStandin({ concurrencyLimit: 0 })
    try {
      const res = await post(limited.url, manifests[0])
      assert.equal(res.status, 429)
      spec.response('/indexer/api/v1/index_report', 'post', 'default', res.json())
    } finally {
      await limited.close()
    }
  })
})
