import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildConfig, buildSampleConfig } from '../../../src/config/config.ts'
import { INPUTS } from '../../../src/config/inputs.ts'
import { parseSamplerSettings } from '../../../src/config/sampler.ts'
import { UserError } from '../../../src/errors.ts'

const DEFAULTS = new Map(INPUTS.map((i) => [i.name, i.default]))
const settings = (inputs: Record<string, string>) =>
  parseSamplerSettings((name) => inputs[name] ?? DEFAULTS.get(name) ?? '')

test('sampler inputs become one typed object, with action.yml defaults', () => {
  assert.deepEqual(settings({}), {
    strata: ['media_type', 'recency'],
    recentDays: 7,
    liveTagsOnly: true,
    currentIndexStateOnly: false,
    emptyLayers: 'quay',
    includePrivate: false,
  })
  assert.deepEqual(
    settings({
      strata: 'media_type, recency,media_type',
      'recent-days': '3',
      'live-tags-only': 'no',
      'current-index-state-only': 'yes',
      'empty-layers': 'skip',
      'include-private-repositories': 'true',
    }),
    {
      strata: ['media_type', 'recency'],
      recentDays: 3,
      liveTagsOnly: false,
      currentIndexStateOnly: true,
      emptyLayers: 'skip',
      includePrivate: true,
    },
  )
  assert.deepEqual(settings({ strata: 'none' }).strata, [])
})

test('a bad sampler input is a UserError naming it', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [
      { strata: 'media_type,os' },
      'input strata: unknown stratum "os"; expected any of media_type, distribution, recency',
    ],
    [{ 'recent-days': '0' }, 'input recent-days: expected a whole number from 1 to 36500, got 0'],
    [{ 'recent-days': '2.5' }, 'input recent-days: expected a whole number from 1 to 36500, got 2.5'],
    [{ 'live-tags-only': 'maybe' }, 'input live-tags-only: expected true or false, got "maybe"'],
    [
      { 'current-index-state-only': 'sometimes' },
      'input current-index-state-only: expected true or false, got "sometimes"',
    ],
    [{ 'empty-layers': 'drop' }, 'input empty-layers: expected one of quay, skip, got "drop"'],
    [
      { 'include-private-repositories': 'all' },
      'input include-private-repositories: expected true or false, got "all"',
    ],
  ]
  for (const [inputs, message] of cases) assert.throws(() => settings(inputs), { name: 'UserError', message })
})

const quay = {
  'canary-url': 'http://127.0.0.1:6060',
  'production-url': 'https://clair.example/',
  'quay-db-dsn': 'postgres://u:pw@db/quay',
  'layer-uri-mode': 'template',
  'uri-template': 'http://blobs.test/{digest}',
}

test('a run carries the typed settings in its quay-db source; a bad one stops the config', async () => {
  const { config } = await buildConfig((name) => ({ ...quay, strata: 'recency' })[name], {
    cwd: '/tmp',
    env: {},
  })
  assert.equal(config.source.kind, 'quay-db')
  if (config.source.kind !== 'quay-db') return
  assert.deepEqual(config.source.sampler.strata, ['recency'])
  await assert.rejects(
    buildConfig((name) => ({ ...quay, 'recent-days': 'x' })[name], { cwd: '/tmp', env: {} }),
    (error: unknown) => error instanceof UserError && /^input recent-days: /.test(error.message),
  )
})

test('the sample command parses the same inputs the same way, and refuses current-index-state-only', async () => {
  const { config } = await buildSampleConfig(
    (name) => ({ ...quay, seed: 'abc', 'sample-size': '9' })[name],
    's.jsonl',
    {
      cwd: '/tmp',
    },
  )
  assert.deepEqual(
    { size: config.sampleSize, seed: config.seed, strata: config.source.sampler.strata },
    { size: 9, seed: 'abc', strata: ['media_type', 'recency'] },
  )
  await assert.rejects(
    buildSampleConfig((name) => ({ ...quay, 'empty-layers': 'x' })[name], 's.jsonl', { cwd: '/tmp' }),
    {
      message: 'input empty-layers: expected one of quay, skip, got "x"',
    },
  )
  await assert.rejects(
    buildSampleConfig((name) => ({ ...quay, 'current-index-state-only': 'true' })[name], 's.jsonl', {
      cwd: '/tmp',
    }),
    {
      message: 'sample: current-index-state-only needs production; use it with `clair-canary run`',
    },
  )
})
