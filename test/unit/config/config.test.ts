import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { buildConfig, MAX_PRODUCTION_RATE } from '../../../src/config/config.ts'
import { UserError } from '../../../src/errors.ts'

const PSK = Buffer.from('a canary secret key').toString('base64')
const base = {
  'canary-url': 'http://127.0.0.1:6060',
  'production-url': 'https://clair.example/',
  'canary-psk': PSK,
  manifests: 'manifests.jsonl',
}

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name]

async function userError(inputs: Record<string, string>): Promise<string> {
  try {
    await buildConfig(reader(inputs), { cwd: '/tmp' })
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`)
    assert.ok(!error.message.includes('\n'), 'one line')
    return error.message
  }
  assert.fail('expected a UserError')
}

test('defaults fill every field, the PSK is decoded and never printed', async () => {
  const { config, secrets } = await buildConfig(reader(base), { cwd: '/tmp' })
  assert.equal(config.canary.url, 'http://127.0.0.1:6060/')
  assert.equal(config.production.url, 'https://clair.example/')
  assert.equal(config.canary.issuer, 'quay')
  assert.deepEqual(Buffer.from(config.canary.psk!.reveal()).toString(), 'a canary secret key')
  // production falls back to the canary PSK
  assert.deepEqual(Buffer.from(config.production.psk!.reveal()).toString(), 'a canary secret key')
  assert.equal(config.source.kind, 'jsonl')
  assert.equal(config.source.path, '/tmp/manifests.jsonl')
  assert.equal(config.sampleSize, 200)
  assert.equal(config.replay.deleteFirst, true)
  assert.equal(config.client.timeouts.indexMs, 600_000)
  assert.equal(config.client.timeouts.otherMs, 30_000)
  // An inconclusive run fails the check and the step: a required check is never satisfied by it.
  assert.equal(config.github.conclusions.inconclusive, 'failure')
  assert.equal(config.failOn.inconclusive, true)
  assert.equal(config.runDir, '/tmp/clair-canary-run')
  assert.match(config.seed, /^[0-9a-f]{16}$/)
  assert.ok(secrets.includes(PSK))
  for (const text of [JSON.stringify(config), inspect(config, { depth: 10 })]) assert.ok(!text.includes(PSK))
})

test('each bad input gets one line naming it and what was expected', async () => {
  assert.match(await userError({ ...base, 'canary-url': '' }), /input canary-url is required/)
  assert.match(
    await userError({ ...base, 'canary-url': 'clair.example:6060' }),
    /input canary-url: expected an http/,
  )
  assert.match(
    await userError({ ...base, 'production-url': 'ftp://x' }),
    /input production-url: expected an http or https URL/,
  )
  assert.match(await userError({ ...base, 'canary-psk': 'not base64!!' }), /canary-psk/)
  assert.match(await userError({ ...base, rate: '0' }), /input rate: expected a number above 0/)
  assert.match(await userError({ ...base, rate: '-3' }), /input rate/)
  assert.match(
    await userError({ ...base, concurrency: '0' }),
    /input concurrency: expected a whole number from 1/,
  )
  assert.match(await userError({ ...base, 'sample-size': '2.5' }), /input sample-size/)
  assert.match(
    await userError({ ...base, 'reread-fraction': '1.5' }),
    /input reread-fraction: expected a fraction/,
  )
  assert.match(
    await userError({ ...base, 'delete-first': 'maybe' }),
    /input delete-first: expected true or false/,
  )
  assert.match(
    await userError({ ...base, 'retention-days': '91' }),
    /input retention-days: expected a whole number from 1 to 90/,
  )
  assert.match(await userError({ ...base, 'check-name': 'x'.repeat(101) }), /input check-name/)
  assert.match(await userError({ ...base, 'inconclusive-conclusion': 'success' }), /inconclusive-conclusion/)
  assert.match(
    await userError({ ...base, 'production-rate': String(MAX_PRODUCTION_RATE + 1) }),
    /production is read-only/,
  )
  assert.match(
    await userError({ ...base, 'expect-revision': 'main' }),
    /input expect-revision: expected a commit sha/,
  )
  assert.match(await userError({ ...base, 'expect-revision': 'abcdef1' }), /needs canary-introspection-url/)
  assert.match(await userError({ ...base, manifests: '' }), /no manifest source/)
  assert.match(
    await userError({
      ...base,
      'canary-url': 'https://clair.example',
      'production-url': 'https://clair.example/',
    }),
    /name the same Clair/,
  )
  // Spelled differently, production still must never receive the canary's DELETE and POST.
  assert.match(
    await userError({
      ...base,
      'canary-url': 'http://localhost:6060',
      'production-url': 'http://127.0.0.1:6060/',
    }),
    /name the same Clair/,
  )
  assert.match(
    await userError({ ...base, 'quay-db-dsn': 'postgres://u:pw@db/quay' }),
    /give one manifest source/,
  )
})

test('a secret in a bad input is never echoed', async () => {
  const message = await userError({ ...base, 'canary-psk': 'sup3r$ecret-not-base64' })
  assert.ok(!message.includes('sup3r$ecret'), message)
})

test('a rules file is read relative to the working directory and its errors name the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clair-canary-config-'))
  await writeFile(join(dir, 'rules.yml'), 'gates:\n  minCompared: 5\n')
  const { config } = await buildConfig(reader({ ...base, rules: 'rules.yml' }), { cwd: dir })
  assert.equal(config.rules.gates.minCompared, 5)
  assert.equal(config.rulesFile, 'rules.yml')
  await assert.rejects(
    buildConfig(reader({ ...base, rules: 'missing.yml' }), { cwd: dir }),
    /input rules: cannot read "missing.yml"/,
  )
})

test('the quay-db source collects sampler and layer options with secrets wrapped', async () => {
  const { config, secrets } = await buildConfig(
    reader({
      ...base,
      manifests: '',
      'quay-db-dsn': 'postgres://u:pw@db/quay',
      's3-bucket': 'quay-storage',
      's3-region': 'us-east-1',
      'aws-access-key-id': 'AKIAID',
      'aws-secret-access-key': 'AKIAsecret',
    }),
    { cwd: '/tmp', env: {} },
  )
  assert.equal(config.source.kind, 'quay-db')
  assert.ok(secrets.includes('AKIAsecret') && secrets.includes('postgres://u:pw@db/quay'))
  assert.ok(!JSON.stringify(config).includes('AKIAsecret'))
  assert.ok(!JSON.stringify(config).includes(':pw@'))
})

test('the sampler and layer-URI options are checked at start-up, not when the sample stage reaches them', async () => {
  const quay = { ...base, manifests: '', 'quay-db-dsn': 'postgres://u:pw@db/quay' }
  const refused = (inputs: Record<string, string>) =>
    assert.rejects(buildConfig(reader(inputs), { cwd: '/tmp', env: {} }), (error: unknown) => {
      assert.ok(error instanceof UserError)
      return true
    })
  await assert.rejects(buildConfig(reader(quay), { cwd: '/tmp', env: {} }), {
    name: 'UserError',
    message: 'input s3-bucket is required with layer-uri-mode s3',
  })
  const s3 = {
    ...quay,
    's3-bucket': 'b',
    's3-region': 'r',
    'aws-access-key-id': 'id',
    'aws-secret-access-key': 'key',
  }
  await refused({ ...s3, strata: 'media_type,colour' })
  await refused({ ...s3, 'layer-uri-mode': 'registry' })
  await refused({ ...s3, 'empty-layers': 'sometimes' })
  const { config } = await buildConfig(reader(s3), { cwd: '/tmp', env: {} })
  assert.equal(config.source.kind, 'quay-db')
})

test('in the action, checks without a token is one clear error; the CLI does not publish and does not care', async () => {
  await assert.rejects(
    buildConfig(reader({ ...base, checks: 'true', token: '' }), { cwd: '/tmp', context: 'action' }),
    /input token is empty but checks is true/,
  )
  const { config } = await buildConfig(reader({ ...base, checks: 'true', token: '' }), {
    cwd: '/tmp',
    context: 'cli',
  })
  assert.equal(config.github.token, undefined)
  // the literal default expression (outside Actions) counts as no token
  await assert.rejects(
    buildConfig(reader({ ...base, token: '${{ github.token }}' }), { cwd: '/tmp', context: 'action' }),
    /input token/,
  )
})
