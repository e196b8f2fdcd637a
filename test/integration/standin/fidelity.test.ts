// The stand-in where it used to differ from Clair v4.9.0: each case names the Clair or claircore code it follows.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { fetch } from 'undici'
import { corpusBlobs, corpusManifests, generateCorpus } from '../../../standin/corpus.ts'
import {
  digestError,
  layerCompression,
  startClairStandin,
  type ClairStandin,
} from '../../../standin/server.ts'
import { PSK, clair, post, token } from './helpers.ts'

const images = generateCorpus({ seed: 'fidelity', count: 12 })
const blobs = corpusBlobs(images)

/** A blob server whose Content-Type is chosen per test and whose answers can be held back. */
async function layerServer(): Promise<{
  url: string
  type: { value: string }
  hold: { until?: Promise<void> }
  close(): Promise<void>
}> {
  const type = { value: 'application/octet-stream' }
  const hold: { until?: Promise<void> } = {}
  const server: Server = createServer((req, res) => {
    void (async () => {
      await hold.until
      const blob = blobs.get(decodeURIComponent(req.url!.split('/').pop()!))
      if (!blob) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': type.value, 'content-length': blob.length }).end(blob)
    })()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    type,
    hold,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  }
}

describe('stand-in fidelity to Clair v4.9.0', () => {
  let standin: ClairStandin
  let layers: Awaited<ReturnType<typeof layerServer>>
  let state: string
  before(async () => {
    layers = await layerServer()
    standin = await startClairStandin({ psk: PSK, seed: 'fidelity' })
    state = ((await clair(standin.url, '/indexer/api/v1/index_state')).json() as { state: string }).state
  })
  after(async () => {
    await standin.close()
    await layers.close()
  })

  test('only the exact "Bearer " prefix carries a token (middleware/auth/handler.go)', async () => {
    const jwt = await token()
    const status = async (authorization: string) =>
      (await fetch(`${standin.url}/indexer/api/v1/index_state`, { headers: { authorization } })).status
    assert.equal(await status(`Bearer ${jwt}`), 200)
    assert.equal(await status(`bearer ${jwt}`), 401)
    assert.equal(await status(`BEARER ${jwt}`), 401)
  })

  test('GET index_report: the digest is checked first, then a 304 without an ETag (indexer_v1.go)', async () => {
    const ifNoneMatch = { 'if-none-match': `"${state}"` }
    const bad = await clair(standin.url, '/indexer/api/v1/index_report/sha256:xyz', { headers: ifNoneMatch })
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.json(), {
      code: 'bad-request',
      message: 'malformed path: unable to decode digest as hex',
    })
    const unknown = `sha256:${'0'.repeat(64)}`
    const cached = await clair(standin.url, `/indexer/api/v1/index_report/${unknown}`, {
      headers: ifNoneMatch,
    })
    assert.equal(cached.status, 304)
    assert.equal(cached.headers.get('etag'), null)
    const missing = await clair(standin.url, `/indexer/api/v1/index_report/${unknown}`)
    assert.deepEqual(missing.json(), { code: 'not-found', message: 'index report not found' })
    const html = await clair(standin.url, `/indexer/api/v1/index_report/${unknown}`, {
      headers: { accept: 'text/html' },
    })
    assert.equal(html.status, 415)
    assert.equal(
      (html.json() as { message: string }).message,
      'unable to negotiate common media type for [application/vnd.clair.index_report.v1+json application/json]',
    )
  })

  test("claircore's digest errors, word for word (digest.go)", () => {
    assert.equal(digestError(`sha256:${'A'.repeat(64)}`), undefined, 'Go decodes upper-case hex')
    assert.equal(digestError('sha256'), 'invalid digest format')
    assert.equal(digestError('sha256:abc'), 'unable to decode digest as hex')
    assert.equal(digestError(`md5:${'0'.repeat(32)}`), 'unknown algorthm "md5"')
    assert.equal(digestError(`sha256:${'0'.repeat(62)}`), 'bad checksum length: 31')
  })

  test("a layer's Content-Type is read as claircore's fetcher reads it (libindex/fetcher.go)", async () => {
    assert.equal(layerCompression('', 'gzip'), 'gzip')
    assert.equal(layerCompression('application/octet-stream', 'none'), 'none')
    assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd', 'gzip'), 'zstd')
    assert.equal(layerCompression('application/x-gzip', 'none'), 'gzip')
    assert.throws(
      () => layerCompression('application/json', 'gzip'),
      /unknown content-type "application\/json"/,
    )
    // The whole header value is compared: a parameter makes a known type unknown.
    assert.throws(
      () => layerCompression('application/octet-stream; charset=binary', 'gzip'),
      /unknown content-type/,
    )

    const manifest = corpusManifests(images, layers.url)[0]!
    layers.type.value = 'application/json'
    const refused = await post(standin.url, manifest)
    assert.equal(refused.status, 500)
    assert.match(refused.text, /unknown content-type/)
    layers.type.value = 'application/vnd.oci.image.layer.v1.tar+gzip'
    const accepted = await post(standin.url, manifest)
    assert.equal(accepted.status, 201, accepted.text)
  })

  test('the default concurrency limit is GOMAXPROCS x 4 (config indexer.go), then 429', async () => {
    // GOMAXPROCS=3 as Go reads it: 12 in flight, where a fixed default would be some other number.
    const saved = process.env['GOMAXPROCS']
    process.env['GOMAXPROCS'] = '3'
    const limit = 3 * 4
    let release!: () => void
    layers.hold.until = new Promise<void>((r) => (release = r))
    layers.type.value = 'application/octet-stream'
    const manifests = corpusManifests(images, layers.url).slice(0, 1)
    const distinct = Array.from({ length: limit + 1 }, (_, i) => ({
      ...manifests[0]!,
      hash: `sha256:${i.toString(16).padStart(64, 'e')}`,
    }))
    // A fresh stand-in: no layer in its cache, so every POST waits on the held layer fetch.
    const fresh = await startClairStandin({ psk: PSK, seed: 'fidelity' })
    if (saved === undefined) delete process.env['GOMAXPROCS']
    else process.env['GOMAXPROCS'] = saved
    const posts = distinct.map((m) => post(fresh.url, m))
    try {
      // The held layer keeps the first `limit` POSTs in flight; the one more is refused at once.
      const first = await Promise.race(posts.map((p) => p))
      assert.equal(first.status, 429)
    } finally {
      release()
      layers.hold.until = undefined
    }
    const all = await Promise.all(posts)
    await fresh.close()
    assert.equal(all.filter((r) => r.status === 429).length, 1)
  })
})
