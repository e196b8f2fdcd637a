import assert from 'node:assert/strict'
import { redactUri } from '../../../src/clair/redact.ts'
import { describe, it } from 'node:test'
import { Secret } from '../../../src/secret.ts'
import { UserError } from '../../../src/errors.ts'
import {
  blobStoragePath,
  createLayerUriBuilder,
  presignS3Get,
  redactManifest,
  registryUriBuilder,
  s3ObjectKey,
  signLayers,
  templateUriBuilder,
} from '../../../src/quay/uris.ts'
import { s3PresignVerifier } from '../../../standin/s3-verify.ts'

// AWS's documented example, "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)"
// (Amazon S3 API reference): GET examplebucket/test.txt, 24 h, signed 2013-05-24T00:00:00Z.
const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  bucket: 'examplebucket',
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
  expiresIn: 86400,
  url:
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
    '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
    '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
}

const HEX = 'e623cf60cbc41de800d3ca5284181bd9168fc0be44b2fbfc05ba78cefcf315b1'

function s3(extra: Partial<Parameters<typeof presignS3Get>[0]> = {}) {
  return {
    bucket: AWS_EXAMPLE.bucket,
    region: AWS_EXAMPLE.region,
    accessKeyId: AWS_EXAMPLE.accessKeyId,
    secretAccessKey: new Secret(AWS_EXAMPLE.secretAccessKey),
    expiresIn: AWS_EXAMPLE.expiresIn,
    ...extra,
  }
}

function asRequest(uri: string) {
  const url = new URL(uri)
  return { method: 'GET', url: url.pathname + url.search, headers: { host: url.host } }
}

describe('S3 presigned layer URIs', () => {
  it('reproduces the AWS documented presigned URL', async () => {
    assert.equal(await presignS3Get(s3(), 'test.txt', AWS_EXAMPLE.date), AWS_EXAMPLE.url)
  })

  it('verifies the AWS documented URL and rejects tampering and expiry', () => {
    const during = () => new Date('2013-05-24T12:00:00Z')
    const verify = s3PresignVerifier({ ...AWS_EXAMPLE, now: during })
    assert.equal(verify(asRequest(AWS_EXAMPLE.url)), null)
    assert.equal(
      verify(asRequest(AWS_EXAMPLE.url.replace('test.txt', 'other.txt'))),
      'signature does not match',
    )
    assert.equal(verify(asRequest(AWS_EXAMPLE.url.replace('aeeed9', 'aeeed8'))), 'signature does not match')
    const later = s3PresignVerifier({ ...AWS_EXAMPLE, now: () => new Date('2013-05-25T00:00:01Z') })
    assert.equal(later(asRequest(AWS_EXAMPLE.url)), 'expired')
    const otherSecret = s3PresignVerifier({ ...AWS_EXAMPLE, secretAccessKey: 'x'.repeat(40), now: during })
    assert.equal(otherSecret(asRequest(AWS_EXAMPLE.url)), 'signature does not match')
    assert.equal(verify(asRequest('https://examplebucket.s3.amazonaws.com/test.txt')), 'not a presigned URL')
  })

  it('signs Quay storage paths path-style against an endpoint, and the verifier accepts them', async () => {
    const opts = s3({
      endpoint: 'http://127.0.0.1:9000',
      storagePath: '/datastorage/registry',
      region: 'eu-west-1',
      expiresIn: 600,
    })
    const key = s3ObjectKey(opts.storagePath, { digest: `sha256:${HEX}`, casPath: true, uuid: 'u' })
    assert.equal(key, `datastorage/registry/sha256/e6/${HEX}`)
    const signedAt = new Date('2026-01-02T03:04:05Z')
    const uri = await presignS3Get(opts, key, signedAt)
    assert.ok(uri.startsWith(`http://127.0.0.1:9000/examplebucket/datastorage/registry/sha256/e6/${HEX}?`))
    assert.match(uri, /X-Amz-Expires=600/)
    const verify = s3PresignVerifier({ ...opts, now: () => new Date(signedAt.getTime() + 599_000) })
    assert.equal(verify(asRequest(uri)), null)
    const expired = s3PresignVerifier({ ...opts, now: () => new Date(signedAt.getTime() + 601_000) })
    assert.equal(expired(asRequest(uri)), 'expired')
  })

  it('uses the legacy sharedimages path when cas_path is false', () => {
    assert.equal(
      blobStoragePath({ digest: `sha256:${HEX}`, casPath: false, uuid: 'abc-123' }),
      'sharedimages/abc-123/layer',
    )
    assert.equal(
      blobStoragePath({ digest: `sha256:${HEX}`, casPath: true, uuid: 'abc-123' }),
      `sha256/e6/${HEX}`,
    )
  })
})

describe('redaction', () => {
  it('drops query strings, fragments and userinfo', () => {
    assert.equal(redactUri(AWS_EXAMPLE.url), 'https://examplebucket.s3.amazonaws.com/test.txt')
    assert.equal(redactUri('https://bob:pw@host/x?sig=1#f'), 'https://host/x')
  })

  it('keeps only Accept headers in a written manifest', () => {
    const m = redactManifest({
      hash: 'sha256:x',
      layers: [
        {
          hash: 'sha256:y',
          uri: 'https://h/p?X-Amz-Signature=s',
          headers: { Accept: ['application/gzip'], Authorization: ['Bearer t'] },
        },
      ],
    })
    assert.deepEqual(m.layers[0], {
      hash: 'sha256:y',
      uri: 'https://h/p',
      headers: { Accept: ['application/gzip'] },
    })
  })
})

describe('registry layer URIs', () => {
  it('gets one pull token per repository with robot credentials and reuses it', async () => {
    const calls: Array<{ url: string; auth: string | undefined }> = []
    let n = 0
    const builder = registryUriBuilder(
      { url: 'https://quay.example/', username: 'org+robot', password: new Secret('pw') },
      {
        fetch: async (url, init) => {
          calls.push({ url, auth: init.headers['Authorization'] })
          return Response.json({ token: `tok-${++n}` })
        },
      },
    )
    const blob = { digest: `sha256:${HEX}`, casPath: true, uuid: 'u', namespace: 'org', repository: 'app' }
    const a = await builder.uri(blob)
    const b = await builder.uri({ ...blob, digest: `sha256:${'0'.repeat(64)}` })
    const c = await builder.uri({ ...blob, repository: 'other' })
    assert.equal(a.uri, `https://quay.example/v2/org/app/blobs/sha256:${HEX}`)
    assert.deepEqual(a.headers, { Authorization: ['Bearer tok-1'] })
    assert.deepEqual(b.headers, { Authorization: ['Bearer tok-1'] })
    assert.deepEqual(c.headers, { Authorization: ['Bearer tok-2'] })
    assert.equal(calls.length, 2)
    assert.equal(
      calls[0]?.url,
      'https://quay.example/v2/auth?service=quay.example&scope=repository%3Aorg%2Fapp%3Apull',
    )
    assert.equal(calls[0]?.auth, `Basic ${Buffer.from('org+robot:pw').toString('base64')}`)
  })

  it('turns a refused robot into a UserError without the password', async () => {
    const builder = registryUriBuilder(
      { url: 'https://quay.example', username: 'org+robot', password: new Secret('hunter2') },
      { fetch: async () => new Response('', { status: 401 }) },
    )
    await assert.rejects(
      builder.uri({ digest: `sha256:${HEX}`, casPath: true, uuid: 'u', namespace: 'org', repository: 'app' }),
      (error: Error) =>
        error instanceof UserError && /org\+robot/.test(error.message) && !error.message.includes('hunter2'),
    )
  })
})

describe('template layer URIs', () => {
  it('fills the placeholders', async () => {
    const { uri } = await templateUriBuilder('http://blobs/{namespace}/{repository}/{hex}?d={digest}').uri({
      digest: `sha256:${HEX}`,
      casPath: true,
      uuid: 'u',
      namespace: 'org',
      repository: 'app',
    })
    assert.equal(uri, `http://blobs/org/app/${HEX}?d=sha256:${HEX}`)
  })
})

describe('signLayers: every layer-uri-mode signs again from the blob storage a sampled manifest keeps', () => {
  const hex = 'ab'.repeat(32)
  const digest = `sha256:${hex}`
  const foreign = { hash: `sha256:${'cd'.repeat(32)}`, uri: 'https://foreign.example/layer' }
  const origin = {
    namespace: 'ns',
    repository: 'repo',
    storage: { [digest]: { cas_path: true, uuid: 'u-1' } },
  }
  const manifest = {
    hash: `sha256:${'ef'.repeat(32)}`,
    layers: [
      { hash: digest, uri: 'https://stale.example/x', headers: { Accept: ['application/gzip'] } },
      foreign,
    ],
  }

  it('s3: a URL signed after the first expired verifies again', async () => {
    let now = new Date('2026-01-01T00:00:00Z')
    const opts = {
      bucket: 'b',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      secretAccessKey: new Secret('s3cr3t'),
      endpoint: 'http://127.0.0.1:9000',
      expiresIn: 60,
    }
    const uris = createLayerUriBuilder({ mode: 's3', s3: opts }, { now: () => now })
    const verify = s3PresignVerifier({ ...opts, now: () => now })
    const check = (uri: string) => {
      const url = new URL(uri)
      return verify({ url: url.pathname + url.search, headers: { host: url.host } })
    }
    const first = await signLayers(manifest, origin, uris)
    assert.equal(check(first.layers[0]!.uri), null)
    now = new Date(now.getTime() + 120_000)
    assert.equal(check(first.layers[0]!.uri), 'expired')
    const again = await signLayers(first, origin, uris)
    assert.equal(check(again.layers[0]!.uri), null)
    assert.deepEqual(again.layers[0]!.headers, { Accept: ['application/gzip'] })
    assert.deepEqual(again.layers[1], foreign, 'a foreign layer is sent as it is')
  })

  it('registry: a pull token past its lifetime is fetched again and replaces the old header', async () => {
    let now = 0
    let issued = 0
    const uris = registryUriBuilder(
      { url: 'https://quay.example', username: 'robot', password: new Secret('pw') },
      {
        now: () => now,
        fetch: async () => Response.json({ token: `t${++issued}`, expires_in: 60 }),
      },
    )
    const first = await signLayers(manifest, origin, uris)
    assert.deepEqual(first.layers[0]!.headers, { Accept: ['application/gzip'], Authorization: ['Bearer t1'] })
    assert.equal(first.layers[0]!.uri, `https://quay.example/v2/ns/repo/blobs/${digest}`)
    now = 61_000
    const again = await signLayers(first, origin, uris)
    assert.deepEqual(again.layers[0]!.headers, { Accept: ['application/gzip'], Authorization: ['Bearer t2'] })
  })

  it('template: the URL is built from the storage identity; without storage nothing changes', async () => {
    const uris = templateUriBuilder('https://blobs.example/{namespace}/{repository}/{path}')
    const signed = await signLayers(manifest, origin, uris)
    assert.equal(signed.layers[0]!.uri, `https://blobs.example/ns/repo/sha256/ab/${hex}`)
    assert.equal(await signLayers(manifest, undefined, uris), manifest)
  })
})
