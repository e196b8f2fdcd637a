import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import {
  EMPTY_LAYER_BLOB,
  EMPTY_LAYER_BLOB_DIGEST,
  RPM_DB_STANDIN,
  corpusBlobs,
  corpusManifests,
  generateCorpus,
  quayLayerDigests,
} from '../../../standin/corpus.ts'
import { readTar, writeTar } from '../../../standin/tar.ts'

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`

describe('generateCorpus', () => {
  const images = generateCorpus({ seed: 'unit', count: 60 })

  test('is deterministic for a seed and differs between seeds', () => {
    const again = generateCorpus({ seed: 'unit', count: 60 })
    assert.deepEqual(
      again.map((i) => i.digest),
      images.map((i) => i.digest),
    )
    const other = generateCorpus({ seed: 'other', count: 60 })
    assert.notDeepEqual(
      other.map((i) => i.digest),
      images.map((i) => i.digest),
    )
  })

  test('digests are the sha256 of the bytes, and the manifest names its config and layers', () => {
    assert.equal(new Set(images.map((i) => i.digest)).size, images.length)
    for (const image of images) {
      assert.equal(image.digest, sha(image.manifestBytes))
      assert.equal(image.config.digest, sha(image.config.bytes))
      const manifest = JSON.parse(image.manifestBytes.toString()) as {
        mediaType: string
        config: { digest: string }
        layers: Array<{ digest: string; size: number }>
      }
      assert.equal(manifest.mediaType, image.mediaType)
      assert.equal(manifest.config.digest, image.config.digest)
      assert.deepEqual(
        manifest.layers.map((l) => [l.digest, l.size]),
        image.layers.map((l) => [sha(l.bytes), l.bytes.length]),
      )
    }
  })

  test('covers several distributions, ecosystems and both manifest types, and shares base layers', () => {
    assert.ok(new Set(images.map((i) => i.distribution)).size >= 4)
    const ecosystems = new Set<string>(images.flatMap((i) => i.ecosystems))
    for (const e of ['dpkg', 'apk', 'rpm', 'python', 'go', 'java']) assert.ok(ecosystems.has(e), e)
    assert.equal(new Set(images.map((i) => i.mediaType)).size, 2)
    const bases = images.map((i) => i.layers[0]?.digest)
    assert.ok(new Set(bases).size < images.length / 2, 'base layers are shared')
  })

  test('layers are gzip tars with the files scanners read', async () => {
    const paths = new Set<string>()
    for (const image of images) {
      for (const layer of image.layers)
        for (const p of (await readTar(gunzipSync(layer.bytes))).keys()) paths.add(p)
    }
    const all = [...paths]
    for (const want of ['etc/os-release', 'var/lib/dpkg/status', 'lib/apk/db/installed', RPM_DB_STANDIN]) {
      assert.ok(paths.has(want), want)
    }
    assert.ok(all.some((p) => /site-packages\/[^/]+\.dist-info\/METADATA$/.test(p)))
    assert.ok(all.some((p) => p.endsWith('.go-buildinfo')))
    assert.ok(all.some((p) => /META-INF\/maven\/.+\/pom\.properties$/.test(p)))
  })
})

describe('the empty layer and the Clair request', () => {
  test('the empty-layer blob is the real one: a gzip of an empty tar with the well-known digest', async () => {
    assert.equal(sha(EMPTY_LAYER_BLOB), EMPTY_LAYER_BLOB_DIGEST)
    assert.equal((await readTar(gunzipSync(EMPTY_LAYER_BLOB))).size, 0)
  })

  test('corpusManifests follows the config history, base first, with empty-layer entries', () => {
    const images = generateCorpus({ seed: 'unit', count: 60 })
    const manifests = corpusManifests(images, 'http://127.0.0.1:9/')
    const blobs = corpusBlobs(images)
    let sawEmpty = false
    manifests.forEach((manifest, n) => {
      const image = images[n]!
      assert.equal(manifest.hash, image.digest)
      const real = manifest.layers.filter((l) => l.hash !== EMPTY_LAYER_BLOB_DIGEST).map((l) => l.hash)
      assert.deepEqual(
        real,
        image.layers.map((l) => l.digest),
      )
      if (manifest.layers.length > real.length) sawEmpty = true
      assert.deepEqual(
        manifest.layers.map((l) => l.hash),
        quayLayerDigests(image),
      )
      for (const layer of manifest.layers) {
        assert.equal(layer.uri, `http://127.0.0.1:9/blobs/${layer.hash}`)
        assert.deepEqual(layer.headers, { Accept: ['application/gzip'] })
        assert.ok(blobs.has(layer.hash))
      }
    })
    assert.ok(sawEmpty, 'some images have empty_layer history entries')
  })

  test('writeTar round-trips through tar-stream, long paths included', async () => {
    const long = `a/${'b'.repeat(90)}/${'c'.repeat(60)}/METADATA`
    const files = await readTar(
      writeTar([
        { path: long, content: 'x' },
        { path: 'etc/os-release', content: 'ID=y\n' },
      ]),
    )
    assert.equal(files.get(long)?.toString(), 'x')
    assert.equal(files.get('etc/os-release')?.toString(), 'ID=y\n')
  })
})
