import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { fetch } from 'undici'
import type {
  IndexReport,
  Manifest,
  UpdateOperations,
  VulnerabilityReport,
} from '../../../src/clair/types.ts'
import { startBlobServer, type BlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus, type CorpusImage } from '../../../standin/corpus.ts'
import { readTar } from '../../../standin/tar.ts'
import { startClairStandin, type ClairStandin } from '../../../standin/server.ts'
import { CVSS_ENRICHMENT_TYPE } from '../../../standin/vulndb.ts'
import { PSK, clair, packageKeys, post, token } from './helpers.ts'

const images = generateCorpus({ seed: 'server-it', count: 16 })

describe('Clair stand-in', () => {
  let blobs: BlobServer
  let standin: ClairStandin
  let manifests: Manifest[]
  let state: string
  before(async () => {
    blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    standin = await startClairStandin({ psk: PSK, seed: 'vulns', revision: 'abc123' })
    manifests = corpusManifests(images, blobs.url)
    state = ((await clair(standin.url, '/indexer/api/v1/index_state')).json() as { state: string }).state
  })
  after(async () => {
    await standin.close()
    await blobs.close()
  })

  describe('PSK authentication', () => {
    const status = async (authorization?: string) => {
      const res = await fetch(`${standin.url}/indexer/api/v1/index_state`, {
        headers: authorization ? { authorization } : {},
      })
      return { status: res.status, body: await res.text() }
    }
    const now = () => Math.floor(Date.now() / 1000)

    test('401 with an empty body without a token, with a wrong key or an unknown issuer', async () => {
      for (const auth of [
        undefined,
        'Bearer not-a-jwt',
        `Bearer ${await token({}, Buffer.from('other').toString('base64'))}`,
        `Bearer ${await token({ iss: 'someone' })}`,
        `Bearer ${await token({ iss: undefined })}`,
      ]) {
        assert.deepEqual(await status(auth), { status: 401, body: '' }, String(auth))
      }
    })

    test('accepts HS256 from quay, clairctl and clair-intraservice; exp, nbf and iat optional', async () => {
      for (const claims of [
        {},
        { iss: 'clairctl', iat: now(), nbf: now() - 60 },
        { iss: 'clair-intraservice' },
        { exp: undefined },
      ]) {
        assert.equal((await status(`Bearer ${await token(claims)}`)).status, 200, JSON.stringify(claims))
      }
      assert.equal((await status(`Bearer ${await token({}, PSK, 'HS512')}`)).status, 200)
    })

    test('checks exp, nbf and iat with 15 s leeway', async () => {
      assert.equal((await status(`Bearer ${await token({ exp: now() - 5 })}`)).status, 200)
      assert.equal((await status(`Bearer ${await token({ exp: now() - 60 })}`)).status, 401)
      assert.equal((await status(`Bearer ${await token({ nbf: now() + 5 })}`)).status, 200)
      assert.equal((await status(`Bearer ${await token({ nbf: now() + 60 })}`)).status, 401)
      assert.equal((await status(`Bearer ${await token({ iat: now() + 60 })}`)).status, 401)
    })

    test('robots.txt needs no token', async () => {
      assert.equal((await fetch(`${standin.url}/robots.txt`)).status, 200)
    })
  })

  describe('indexing', () => {
    test('POST answers 201 with the index report, Etag = index state, Location and Links', async () => {
      const m = manifests[0] as Manifest
      const res = await post(standin.url, m)
      assert.equal(res.status, 201, res.text)
      assert.equal(res.headers.get('etag'), `"${state}"`)
      assert.match(state, /^[a-f0-9]{32}$/)
      assert.equal(res.headers.get('location'), `/indexer/api/v1/index_report/${m.hash}`)
      assert.equal(res.headers.get('link')?.split(', <').length, 2)
      const report = res.json() as IndexReport
      assert.equal(report.manifest_hash, m.hash)
      assert.equal(report.state, 'IndexFinished')
      assert.equal(report.success, true)
      assert.equal(report.err, '')
    })

    test('the report comes from the files in the blobs', async () => {
      for (const [n, image] of images.entries()) {
        const m = manifests[n] as Manifest
        const report = (await post(standin.url, m)).json() as IndexReport
        const names = new Set(Object.values(report.packages ?? {}).map((p) => p.name))
        const dbs = new Set(
          Object.values(report.environments ?? {}).flatMap((envs) => envs.map((e) => e.package_db)),
        )
        const base = await readTar(gunzipSync((image.layers[0] as CorpusImage['layers'][number]).bytes))
        const osRelease = base.get('etc/os-release')?.toString() ?? ''
        const did = /^ID=(.*)$/m.exec(osRelease)?.[1]
        assert.deepEqual(
          Object.values(report.distributions ?? {}).map((d) => d.did),
          [did],
        )
        const status = base.get('var/lib/dpkg/status')?.toString()
        if (status) {
          const firstPackage = /^Package: (.+)$/m.exec(status)?.[1] as string
          assert.ok(names.has(firstPackage), `${firstPackage} from the base layer's dpkg status`)
        }
        for (const e of image.ecosystems) {
          const prefix = {
            dpkg: 'var/lib/dpkg/status',
            apk: 'lib/apk/db/installed',
            rpm: 'sqlite:var/lib/rpm',
            python: 'python:',
            go: 'go:',
            java: 'maven:',
          }[e]
          assert.ok(
            [...dbs].some((db) => db.startsWith(prefix)),
            `${image.distribution} ${e}`,
          )
        }
        for (const envs of Object.values(report.environments ?? {})) {
          for (const env of envs) assert.ok(m.layers.some((l) => l.hash === env.introduced_in))
        }
      }
    })

    test('a second POST answers from the store without fetching layers', async () => {
      const m = manifests[1] as Manifest
      const first = await post(standin.url, m)
      const before = blobs.requests()
      const again = await post(standin.url, m)
      assert.equal(again.status, 201)
      assert.equal(blobs.requests(), before)
      assert.deepEqual(packageKeys(again.json() as IndexReport), packageKeys(first.json() as IndexReport))
    })

    test('412 when If-None-Match carries the index state', async () => {
      const res = await post(standin.url, manifests[2], { 'if-none-match': `"${state}"` })
      assert.equal(res.status, 412)
    })

    test('400 bogus manifest for an empty hash or no layers, 400 for an undecodable body', async () => {
      for (const body of [
        { hash: '', layers: (manifests[0] as Manifest).layers },
        { hash: (manifests[0] as Manifest).hash, layers: [] },
      ]) {
        const res = await post(standin.url, body)
        assert.equal(res.status, 400)
        assert.deepEqual(res.json(), { code: 'bad-request', message: 'bogus manifest' })
      }
      const res = await post(standin.url, '{not json')
      assert.equal(res.status, 400)
      assert.equal((res.json() as { code: string }).code, 'bad-request')
    })

    test('a layer whose bytes do not match its digest: 500, then a stored IndexError and VR 404', async () => {
      const good = manifests[3] as Manifest
      const wrong = `sha256:${'ab'.repeat(32)}`
      const broken: Manifest = {
        hash: `sha256:${'cd'.repeat(32)}`,
        layers: [{ ...(good.layers[0] as Manifest['layers'][number]), hash: wrong }],
      }
      const res = await post(standin.url, broken)
      assert.equal(res.status, 500)
      const body = res.json() as { code: string; message: string }
      assert.equal(body.code, 'internal-error')
      assert.match(body.message, /^failed to start scan: /)
      const stored = await clair(standin.url, `/indexer/api/v1/index_report/${broken.hash}`)
      assert.equal(stored.status, 200)
      const report = stored.json() as IndexReport
      assert.equal(report.state, 'IndexError')
      assert.equal(report.success, false)
      assert.match(report.err ?? '', /digest mismatch/)
      assert.equal(
        (await clair(standin.url, `/matcher/api/v1/vulnerability_report/${broken.hash}`)).status,
        404,
      )
    })

    test('a layer the blob server does not have: 500 naming the status', async () => {
      const unknown = `sha256:${'ef'.repeat(32)}`
      const res = await post(standin.url, {
        hash: `sha256:${'12'.repeat(32)}`,
        layers: [
          { hash: unknown, uri: `${blobs.url}/blobs/${unknown}`, headers: { Accept: ['application/gzip'] } },
        ],
      })
      assert.equal(res.status, 500)
      assert.match((res.json() as { message: string }).message, /unexpected status code: 404/)
    })

    test('GET index_report: 200 with Etag, 404 unknown, 304 on If-None-Match even when unknown, 415 on odd Accept', async () => {
      const m = manifests[0] as Manifest
      await post(standin.url, m)
      const ok = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)
      assert.equal(ok.status, 200)
      assert.equal(ok.headers.get('etag'), `"${state}"`)
      const unknown = `sha256:${'0'.repeat(64)}`
      const missing = await clair(standin.url, `/indexer/api/v1/index_report/${unknown}`)
      assert.equal(missing.status, 404)
      assert.equal((missing.json() as { code: string }).code, 'not-found')
      const cached = await clair(standin.url, `/indexer/api/v1/index_report/${unknown}`, {
        headers: { 'if-none-match': `"${state}"` },
      })
      assert.equal(cached.status, 304)
      const odd = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`, {
        headers: { accept: 'text/html' },
      })
      assert.equal(odd.status, 415)
    })

    test('index_state: 200 with Etag, 304 when it matches', async () => {
      const res = await clair(standin.url, '/indexer/api/v1/index_state')
      assert.equal(res.headers.get('etag'), `"${state}"`)
      const again = await clair(standin.url, '/indexer/api/v1/index_state', {
        headers: { 'if-none-match': `"${state}"` },
      })
      assert.equal(again.status, 304)
    })

    test('DELETE answers 204, the report is gone, and a new POST fetches the layers again', async () => {
      const m = manifests[4] as Manifest
      await post(standin.url, m)
      const del = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`, { method: 'DELETE' })
      assert.equal(del.status, 204)
      assert.equal(del.text, '')
      assert.equal((await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)).status, 404)
      const before = blobs.requests()
      assert.equal((await post(standin.url, m)).status, 201)
      assert.ok(blobs.requests() > before)
    })

    test('bulk DELETE answers the digests it deleted', async () => {
      const m = manifests[5] as Manifest
      await post(standin.url, m)
      const unknown = `sha256:${'9'.repeat(64)}`
      const res = await clair(standin.url, '/indexer/api/v1/index_report', {
        method: 'DELETE',
        body: [m.hash, unknown],
      })
      assert.equal(res.status, 200)
      assert.deepEqual(res.json(), [m.hash])
    })
  })

  describe('matching', () => {
    test('vulnerability_report: 200, the index report content type (sic), Cache-Control, ids that resolve', async () => {
      let sawVulnerability = false
      for (const m of manifests.slice(0, 10)) {
        const ir = (await post(standin.url, m)).json() as IndexReport
        const res = await clair(standin.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)
        assert.equal(res.status, 200)
        assert.equal(res.headers.get('content-type'), 'application/vnd.clair.index_report.v1+json')
        assert.match(res.headers.get('cache-control') ?? '', /^max-age=\d+$/)
        const vr = res.json() as VulnerabilityReport
        assert.deepEqual(
          packageKeys(vr),
          packageKeys(ir),
          'packages are copied from the index report, ids included',
        )
        assert.deepEqual(Object.keys(vr.packages ?? {}).sort(), Object.keys(ir.packages ?? {}).sort())
        for (const [pid, vids] of Object.entries(vr.package_vulnerabilities ?? {})) {
          assert.ok(vr.packages?.[pid], `package ${pid}`)
          for (const vid of vids) {
            assert.equal(vr.vulnerabilities?.[vid]?.id, vid)
            assert.equal(vr.vulnerabilities?.[vid]?.package?.name, vr.packages?.[pid]?.name)
            sawVulnerability = true
          }
        }
        const cvss = vr.enrichments?.[CVSS_ENRICHMENT_TYPE]?.[0] as Record<string, unknown> | undefined
        for (const vid of Object.keys(cvss ?? {}))
          assert.ok(vr.vulnerabilities?.[vid], `enrichment for ${vid}`)
      }
      assert.ok(sawVulnerability)
    })

    test('update_operation: one per updater with latest=true, Etag, 304, enrichment kind', async () => {
      const res = await clair(
        standin.url,
        '/matcher/api/v1/internal/update_operation?kind=vulnerability&latest=true',
      )
      assert.equal(res.status, 200)
      const ops = res.json() as UpdateOperations
      for (const updater of [
        'debian-updater',
        'ubuntu/updater',
        'alpine-main-v3.19-updater',
        'RHEL9-rhel-9',
        'pyupio',
        'osv/go',
      ]) {
        assert.equal(ops[updater]?.length, 1, updater)
        const op = ops[updater]?.[0]
        assert.equal(op?.updater, updater)
        assert.equal(op?.kind, 'vulnerability')
        assert.match(op?.ref ?? '', /^[0-9a-f-]{36}$/)
        assert.ok(!Number.isNaN(Date.parse(op?.date ?? '')))
      }
      const tag = res.headers.get('etag') as string
      assert.ok(Object.values(ops).some((list) => `"${list[0]?.ref}"` === tag))
      const again = await clair(
        standin.url,
        '/matcher/api/v1/internal/update_operation?kind=vulnerability&latest=true',
        {
          headers: { 'if-none-match': tag },
        },
      )
      assert.equal(again.status, 304)
      const all = (
        await clair(standin.url, '/matcher/api/v1/internal/update_operation')
      ).json() as UpdateOperations
      assert.ok((all['debian-updater']?.length ?? 0) > 1)
      const enrichment = (
        await clair(standin.url, '/matcher/api/v1/internal/update_operation?kind=enrichment&latest=true')
      ).json() as UpdateOperations
      assert.deepEqual(Object.keys(enrichment), ['clair.cvss'])
    })
  })

  test('JSON map order is random between reads, the content is not', async () => {
    const m = manifests[0] as Manifest
    await post(standin.url, m)
    const a = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)
    const b = await clair(standin.url, `/indexer/api/v1/index_report/${m.hash}`)
    assert.notEqual(a.text, b.text)
    assert.deepEqual(a.json(), b.json())
  })

  test('introspection: healthz, readyz and metrics with version info and request counts', async () => {
    assert.equal((await fetch(`${standin.introspectionUrl}/healthz`)).status, 200)
    assert.equal((await fetch(`${standin.introspectionUrl}/readyz`)).status, 200)
    const metrics = await (await fetch(`${standin.introspectionUrl}/metrics`)).text()
    assert.match(metrics, /^clair_cmd_version_info\{.*revision="abc123".*\} 1$/m)
    assert.match(
      metrics,
      /^clair_http_indexerv1_request_total\{code="201",handler="\/indexer\/api\/v1\/index_report",method="post"\} \d+$/m,
    )
    assert.match(
      metrics,
      /^clair_http_matcherv1_request_total\{code="200",handler="\/matcher\/api\/v1\/vulnerability_report\/",method="get"\} \d+$/m,
    )
  })
})

describe('readiness, limits and instances', () => {
  let blobs: BlobServer
  before(async () => {
    blobs = await startBlobServer({ blobs: corpusBlobs(images) })
  })
  after(async () => {
    await blobs.close()
  })

  test('readyz 503 and vulnerability_report 202 with an empty body until ready', async () => {
    const s = await startClairStandin({ readyAfterMs: 60_000, matcherReadyAfterMs: 60_000 })
    try {
      assert.equal((await fetch(`${s.introspectionUrl}/readyz`)).status, 503)
      assert.equal((await fetch(`${s.introspectionUrl}/healthz`)).status, 200)
      const m = corpusManifests(images, blobs.url)[0] as Manifest
      assert.equal((await post(s.url, m)).status, 201)
      const vr = await clair(s.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)
      assert.equal(vr.status, 202)
      assert.equal(vr.text, '')
    } finally {
      await s.close()
    }
  })

  test('429 too-many-requests over the concurrency limit, counted in metrics', async () => {
    const s = await startClairStandin({
      concurrencyLimit: 1,
      profile: { name: 'held', description: 'index takes a while', latencyMs: { index: 400 } },
    })
    try {
      const ms = corpusManifests(images, blobs.url).slice(0, 4)
      const results = await Promise.all(ms.map((m) => post(s.url, m)))
      const limited = results.filter((r) => r.status === 429)
      assert.ok(limited.length >= 1, results.map((r) => r.status).join(','))
      assert.ok(results.some((r) => r.status === 201))
      assert.deepEqual(limited[0]?.json(), {
        code: 'too-many-requests',
        message: 'server handling too many requests',
      })
      const metrics = await (await fetch(`${s.introspectionUrl}/metrics`)).text()
      assert.match(
        metrics,
        /^clair_http_concurrencylimited_total\{endpoint="\/indexer\/api\/v1\/index_report",method="post"\} [1-9]\d*$/m,
      )
    } finally {
      await s.close()
    }
  })

  test('two instances agree on content and disagree on ids', async () => {
    const [a, b] = await Promise.all([startClairStandin({ seed: 's' }), startClairStandin({ seed: 's' })])
    try {
      const m = corpusManifests(images, blobs.url)[0] as Manifest
      await Promise.all([post(a.url, m), post(b.url, m)])
      const [va, vb] = await Promise.all(
        [a, b].map(
          async (s) =>
            (
              await clair(s.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)
            ).json() as VulnerabilityReport,
        ),
      )
      assert.deepEqual(packageKeys(va as VulnerabilityReport), packageKeys(vb as VulnerabilityReport))
      assert.notDeepEqual(Object.keys(va?.packages ?? {}).sort(), Object.keys(vb?.packages ?? {}).sort())
      const names = (vr: VulnerabilityReport) =>
        Object.values(vr.vulnerabilities ?? {})
          .map((v) => `${v.updater} ${v.name}`)
          .sort()
      assert.deepEqual(names(va as VulnerabilityReport), names(vb as VulnerabilityReport))
      const [sa, sb] = await Promise.all(
        [a, b].map(async (s) => (await clair(s.url, '/indexer/api/v1/index_state')).json()),
      )
      assert.deepEqual(sa, sb)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })
})
