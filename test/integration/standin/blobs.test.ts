import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { fetch } from 'undici'
import { digestFromPath, startBlobServer, type BlobServer } from '../../../standin/blobs.ts'

const blob = Buffer.from('layer bytes')
const hex = createHash('sha256').update(blob).digest('hex')
const digest = `sha256:${hex}`

describe('blob server', () => {
  let open: BlobServer
  let bearer: BlobServer
  let verified: BlobServer
  before(async () => {
    open = await startBlobServer({ blobs: new Map([[digest, blob]]) })
    bearer = await startBlobServer({
      blobs: (d) => (d === digest ? blob : undefined),
      auth: { kind: 'bearer', token: 't0k' },
    })
    verified = await startBlobServer({
      blobs: new Map([[digest, blob]]),
      auth: { kind: 'verify', verify: (req) => (req.url.includes('sig=good') ? null : 'bad signature') },
    })
  })
  after(async () => {
    await Promise.all([open.close(), bearer.close(), verified.close()])
  })

  test('serves /blobs, registry and S3-style paths as octet-stream', async () => {
    for (const path of [
      `/blobs/${digest}`,
      `/v2/acme/team/app/blobs/${digest}`,
      `/bucket/registry/sha256/${hex.slice(0, 2)}/${hex}`,
    ]) {
      const res = await fetch(open.url + path)
      assert.equal(res.status, 200, path)
      assert.equal(res.headers.get('content-type'), 'application/octet-stream')
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), blob)
    }
    assert.equal(open.requests(), 3)
  })

  test('404 for unknown digests and paths', async () => {
    const unknown = `sha256:${'0'.repeat(64)}`
    assert.equal((await fetch(`${open.url}/blobs/${unknown}`)).status, 404)
    assert.equal((await fetch(`${open.url}/nothing/here`)).status, 404)
    assert.equal(digestFromPath(`/bucket/sha256/ff/${hex}`), hex.startsWith('ff') ? digest : undefined)
  })

  test('403 without the bearer token, 200 with it', async () => {
    assert.equal((await fetch(`${bearer.url}/blobs/${digest}`)).status, 403)
    assert.equal(
      (await fetch(`${bearer.url}/blobs/${digest}`, { headers: { authorization: 'Bearer nope' } })).status,
      403,
    )
    assert.equal(
      (await fetch(`${bearer.url}/blobs/${digest}`, { headers: { authorization: 'Bearer t0k' } })).status,
      200,
    )
  })

  test('a verify callback sees the URL with its query string and decides', async () => {
    const path = `/bucket/sha256/${hex.slice(0, 2)}/${hex}`
    assert.equal((await fetch(`${verified.url}${path}?sig=bad`)).status, 403)
    assert.equal((await fetch(`${verified.url}${path}?sig=good`)).status, 200)
  })
})
