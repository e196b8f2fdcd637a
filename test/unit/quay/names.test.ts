// Quay namespace and repository names leave the run directory unless publish-repository-names asks for them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { redactSample, repositoryLabels, repositoryNameScrubber } from '../../../src/sample/source.ts'
import { signLayers, registryUriBuilder, templateUriBuilder } from '../../../src/quay/uris.ts'
import { toSampledManifest } from '../../../src/sample/jsonl.ts'
import { UserError } from '../../../src/errors.ts'
import { Secret } from '../../../src/secret.ts'
import type { SampledManifest } from '../../../src/rundir/types.ts'

const DIGEST = `sha256:${'a'.repeat(64)}`
const LAYER = `sha256:${'b'.repeat(64)}`
const entry: SampledManifest = {
  manifest: {
    hash: DIGEST,
    layers: [
      {
        hash: LAYER,
        uri: `https://quay.example/v2/acme/secret%20app/blobs/${LAYER}?token=sig`,
        headers: { Authorization: ['Bearer t0ken'], Accept: ['application/gzip'] },
      },
    ],
  },
  origin: {
    namespace: 'acme',
    repository: 'secret app',
    media_type: 'application/vnd.oci.image.manifest.v1+json',
    manifest_id: 7,
    storage: { [LAYER]: { cas_path: true, uuid: 'u-1' } },
  },
}

test('by default the published sample names a manifest by its digest only', () => {
  const [hidden] = redactSample([entry], false)
  assert.equal(hidden!.origin?.namespace, undefined)
  assert.equal(hidden!.origin?.repository, undefined)
  assert.deepEqual(
    hidden!.origin?.storage,
    entry.origin!.storage,
    'the storage identity stays, to sign again',
  )
  assert.equal(hidden!.manifest.hash, DIGEST)
  const text = JSON.stringify(hidden)
  assert.doesNotMatch(text, /acme|secret/)
  assert.doesNotMatch(text, /t0ken|sig/)
  assert.equal(hidden!.manifest.layers[0]!.uri, `https://quay.example/v2/(repository)/blobs/${LAYER}`)
})

test('publish-repository-names keeps them (URIs are still redacted)', () => {
  const [shown] = redactSample([entry], true)
  assert.equal(shown!.origin?.namespace, 'acme')
  assert.equal(shown!.origin?.repository, 'secret app')
  assert.equal(shown!.manifest.layers[0]!.uri, `https://quay.example/v2/acme/secret%20app/blobs/${LAYER}`)
})

test("the scrubber removes a repository from Clair's error texts, however the URL encodes it", () => {
  const scrub = repositoryNameScrubber([entry])
  assert.equal(
    scrub(
      'fetch https://quay.example/v2/acme/secret%20app/blobs/x: 404; acme/secret app; acme%2Fsecret%20app',
    ),
    'fetch https://quay.example/v2/(repository)/blobs/x: 404; (repository); (repository)',
  )
  assert.equal(repositoryNameScrubber([{ manifest: entry.manifest }])('acme/secret app'), 'acme/secret app')
})

test('a published line replays in s3 mode; registry and template modes that need the names say so', async () => {
  const [hidden] = redactSample([entry], false)
  const line = toSampledManifest(JSON.parse(JSON.stringify(hidden)), 'sample.jsonl:1')
  const byPath = templateUriBuilder('http://blobs.test/{path}')
  const signed = await signLayers(line.manifest, line.origin, byPath)
  assert.equal(signed.layers[0]!.uri, `http://blobs.test/sha256/bb/${'b'.repeat(64)}`)
  for (const builder of [
    templateUriBuilder('http://blobs.test/{namespace}/{repository}/{digest}'),
    registryUriBuilder({ url: 'https://quay.example', token: new Secret('t') }),
  ])
    await assert.rejects(signLayers(line.manifest, line.origin, builder), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.match(error.message, /needs the repository of layer sha256:b+, and its sample line has none/)
      return true
    })
})

test('each repository gets one label: "repository N" by first appearance, or its name when published', () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`
  const at = (c: string, namespace?: string, repository?: string): SampledManifest => ({
    manifest: { hash: digest(c), layers: [{ hash: LAYER, uri: `https://blobs.test/${LAYER}` }] },
    ...(namespace ? { origin: { namespace, ...(repository ? { repository } : {}) } } : {}),
  })
  const sample = [
    at('1', 'acme', 'app'),
    at('2', 'other', 'x'),
    at('3', 'acme', 'app'),
    at('4'),
    at('5', 'acme'),
  ]
  assert.deepEqual(
    [...repositoryLabels(sample, false)],
    [
      [digest('1'), 'repository 1'],
      [digest('2'), 'repository 2'],
      [digest('3'), 'repository 1'],
    ],
  )
  assert.deepEqual(
    [...repositoryLabels(sample, true)].map(([, label]) => label),
    ['acme/app', 'other/x', 'acme/app'],
  )
  // sample.jsonl keeps the label without the name; replayed from it, the run names the repositories alike.
  const published = redactSample(sample, false).map(
    (line) => JSON.parse(JSON.stringify(line)) as SampledManifest,
  )
  assert.doesNotMatch(JSON.stringify(published), /acme|other/)
  assert.deepEqual(repositoryLabels(published, false), repositoryLabels(sample, false))
  assert.deepEqual(repositoryLabels(published, true), repositoryLabels(sample, false))
})
