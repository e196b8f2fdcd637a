// The layer-URI inputs become one typed value in src/config: every value given is checked at start-up, and a
// missing required one is a reason the source decides on (a Quay database always needs it, a file only when it
// keeps its blobs' storage).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { buildConfig } from '../../../src/config/config.ts'
import { layerUriOptions } from '../../../src/config/layers.ts'
import { createLayerUriBuilder } from '../../../src/quay/uris.ts'
import { UserError } from '../../../src/errors.ts'
import { INPUTS } from '../../../src/config/inputs.ts'

const DEFAULTS = Object.fromEntries(INPUTS.map((i) => [i.name, i.default]))

/** What config.ts hands layerUriOptions: inputs with action.yml's defaults. */
function parse(given: Record<string, string>, env: Record<string, string> = {}) {
  const get = (name: string) => given[name] ?? DEFAULTS[name] ?? ''
  return layerUriOptions({ get, secret: get, mask: () => {} }, env)
}

function refused(given: Record<string, string>): string {
  try {
    parse(given)
  } catch (error) {
    assert.ok(error instanceof UserError, String(error))
    return error.message
  }
  assert.fail('expected a UserError')
}

const S3 = {
  's3-bucket': 'b',
  's3-region': 'us-east-2',
  'aws-access-key-id': 'AKIA',
  'aws-secret-access-key': 'topsecret',
}
const HEX = 'e6'.repeat(32)

describe('layerUriOptions', () => {
  it("defaults to s3 with Quay's 600 s expiry, and keeps keys out of JSON and inspect", () => {
    const opts = parse(S3)
    assert.ok(!('missing' in opts) && opts.mode === 's3')
    assert.equal(opts.s3.expiresIn, 600)
    assert.equal(opts.s3.secretAccessKey.reveal(), 'topsecret')
    for (const text of [JSON.stringify(opts), inspect(opts, { depth: 5 })])
      assert.ok(!text.includes('topsecret'), text)
  })

  for (const [input, line] of [
    ['s3-bucket', 'input s3-bucket is required with layer-uri-mode s3'],
    ['s3-region', 'input s3-region is required with layer-uri-mode s3 (or AWS_REGION in the environment)'],
    [
      'aws-access-key-id',
      'input aws-access-key-id is required with layer-uri-mode s3 (or AWS_ACCESS_KEY_ID in the environment)',
    ],
    [
      'aws-secret-access-key',
      'input aws-secret-access-key is required with layer-uri-mode s3 (or AWS_SECRET_ACCESS_KEY in the environment)',
    ],
  ] as const)
    it(`a missing ${input} is the reason, not a throw`, () => {
      assert.deepEqual(parse({ ...S3, [input]: '' }), { missing: line })
    })

  it('falls back to the AWS_* environment, and an input wins over it', () => {
    const env = { AWS_DEFAULT_REGION: 'r', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' }
    const opts = parse({ 's3-bucket': 'b' }, env)
    assert.ok(!('missing' in opts) && opts.mode === 's3')
    assert.equal(opts.s3.region, 'r')
    assert.equal(opts.s3.accessKeyId, 'k')
    const given = parse({ ...S3 }, { ...env, AWS_REGION: 'env-region' })
    assert.ok(!('missing' in given) && given.mode === 's3')
    assert.equal(given.s3.region, 'us-east-2')
  })

  it('refuses a wrong value even when a required input is also missing', () => {
    assert.equal(
      refused({ 'url-expiry': '-5' }),
      'input url-expiry: expected a whole number from 1 to 604800, got -5',
    )
    assert.equal(
      refused({ ...S3, 'url-expiry': '604801' }),
      'input url-expiry: expected a whole number from 1 to 604800, got 604801',
    )
    assert.equal(
      refused({ 's3-endpoint': 'minio:9000' }),
      'input s3-endpoint: expected an http or https URL, got scheme minio',
    )
    assert.equal(
      refused({ 'layer-uri-mode': 'ftp' }),
      'input layer-uri-mode: expected one of s3, registry, template, got "ftp"',
    )
    assert.equal(
      refused({ 'layer-uri-mode': 'template', 'uri-template': 'http://x/' }),
      'input uri-template: expected {digest}, {hex} or {path} in it, or every layer gets the same URI',
    )
    assert.equal(
      refused({ 'layer-uri-mode': 'registry', 'registry-url': 'quay.io' }),
      'input registry-url: expected an http(s) URL with a scheme, e.g. https://quay.io',
    )
  })

  it('registry mode needs a token or a robot', () => {
    assert.deepEqual(parse({ 'layer-uri-mode': 'registry', 'registry-url': 'https://q' }), {
      missing:
        'input registry-token is required with layer-uri-mode registry (or registry-username and registry-password)',
    })
  })

  it('builds a working builder for each mode', async () => {
    const blob = { digest: `sha256:${HEX}`, casPath: true, uuid: 'u', namespace: 'n', repository: 'r' }
    const template = parse({ 'layer-uri-mode': 'template', 'uri-template': 'http://x/{path}' })
    assert.ok(!('missing' in template))
    assert.equal((await createLayerUriBuilder(template).uri(blob)).uri, `http://x/sha256/e6/${HEX}`)
    const registry = parse({
      'layer-uri-mode': 'registry',
      'registry-url': 'https://q',
      'registry-token': 'tok',
    })
    assert.ok(!('missing' in registry))
    assert.deepEqual((await createLayerUriBuilder(registry).uri(blob)).headers, {
      Authorization: ['Bearer tok'],
    })
  })
})

describe('the layer-URI inputs in the Config', () => {
  const run = {
    'canary-url': 'http://127.0.0.1:6060',
    'production-url': 'https://clair.example/',
  }
  const reader = (inputs: Record<string, string>) => (name: string) => inputs[name]

  it('a manifests file keeps the reason; a Quay database refuses at once', async () => {
    const { config } = await buildConfig(reader({ ...run, manifests: 'm.jsonl' }), { cwd: '/tmp', env: {} })
    assert.deepEqual(config.source.kind === 'jsonl' && config.source.layers, {
      missing: 'input s3-bucket is required with layer-uri-mode s3',
    })
    await assert.rejects(
      buildConfig(reader({ ...run, 'quay-db-dsn': 'postgresql://db/quay' }), { cwd: '/tmp', env: {} }),
      { name: 'UserError', message: 'input s3-bucket is required with layer-uri-mode s3' },
    )
  })

  it('AWS keys come from the environment buildConfig is given, and are secrets of the run', async () => {
    const env = { AWS_REGION: 'r', AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret' }
    const { config, secrets } = await buildConfig(
      reader({ ...run, 'quay-db-dsn': 'postgresql://db/quay', 's3-bucket': 'b' }),
      { cwd: '/tmp', env },
    )
    assert.ok(config.source.kind === 'quay-db' && config.source.layers.mode === 's3')
    assert.equal(config.source.layers.s3.accessKeyId, 'AKIAENV')
    assert.ok(!JSON.stringify(config).includes('envsecret'))
    assert.ok(secrets.includes('envsecret'), 'the environment secret is masked too')
  })
})
