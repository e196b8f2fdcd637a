// The replay engine over real HTTP: the scheduler against a node:http server (real clock), and replay()
// through the real ClairClient, against recording servers and against the Clair stand-in.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool } from 'undici'
import { ClairClient } from '../../../src/clair/client.ts'
import { Secret } from '../../../src/secret.ts'
import { replay, type ReportSink, type SinkSide } from '../../../src/replay/replay.ts'
import { runOpenLoop } from '../../../src/replay/scheduler.ts'
import { seededRandom } from '../../../src/seeded.ts'
import { startBlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus } from '../../../standin/corpus.ts'
import { startClairStandin } from '../../../standin/server.ts'
import type { ClairTarget, ClientOptions } from '../../../src/clair/client.ts'
import type { ReplayOptions } from '../../../src/config/types.ts'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

async function serve(handler: Handler) {
  const seen: Array<{ method: string; path: string }> = []
  let inFlight = 0
  let peak = 0
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' })
    inFlight++
    peak = Math.max(peak, inFlight)
    res.on('close', () => inFlight--)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    peak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function json(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

const CLIENT: ClientOptions = {
  timeouts: { indexMs: 10_000, otherMs: 10_000 },
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 50 },
  maxResponseBytes: 10 * 1024 * 1024,
  connections: 4,
}

const target = (side: 'canary' | 'production', url: string, psk?: Uint8Array): ClairTarget => ({
  side,
  url,
  issuer: 'quay',
  ...(psk ? { psk: new Secret(psk) } : {}),
})

class MemorySink implements ReportSink {
  readonly writes: Array<{ side: SinkSide; report: string; digest: string; body: unknown }> = []
  async write(
    side: SinkSide,
    report: 'index' | 'vulnerability',
    digest: string,
    body: unknown,
  ): Promise<void> {
    this.writes.push({ side, report, digest, body })
  }
}

test('scheduler over HTTP: the server never sees more than `concurrency` at once, and every start completes', async () => {
  const server = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 5))
  const pool = new Pool(server.url, { connections: 8 })
  try {
    const out = await runOpenLoop(new Array(40).fill(0), { rate: 100_000, concurrency: 3 }, async () => {
      const { statusCode, body } = await pool.request({ path: '/', method: 'GET' })
      await body.dump()
      return statusCode
    })
    assert.equal(out.results.length, 40)
    assert.ok(out.results.every((s) => s === 200))
    assert.equal(server.seen.length, 40)
    assert.ok(server.peak() <= 3, `peak ${server.peak()}`)
    // Due every 10 µs but bound to 3 in flight: later items waited, and that wait is recorded.
    assert.equal(out.startLag.count, 40)
    assert.ok(out.startLag.max > 0)
  } finally {
    await pool.close()
    await server.close()
  }
})

test('scheduler over HTTP: abort keeps the answers of every request already sent', async () => {
  const controller = new AbortController()
  const server = await serve((_req, res) => {
    if (server.seen.length === 5) controller.abort()
    setTimeout(() => json(res, 200, {}), 5)
  })
  const pool = new Pool(server.url, { connections: 2 })
  try {
    const out = await runOpenLoop(
      new Array(1000).fill(0),
      { rate: 200, concurrency: 2, signal: controller.signal },
      async () => {
        const { statusCode, body } = await pool.request({ path: '/', method: 'GET' })
        await body.dump()
        return statusCode
      },
    )
    assert.ok(out.results.length >= 5 && out.results.length < 1000, `${out.results.length} results`)
    assert.equal(out.results.length, server.seen.length)
    assert.ok(out.results.every((s) => s === 200))
  } finally {
    await pool.close()
    await server.close()
  }
})

test('replay through ClairClient: production sees GETs only, the canary DELETE then POST, the sink every report', async () => {
  const digests = ['a', 'b', 'c'].map((c) => `sha256:${c.repeat(64)}`)
  const report = (path: string) => ({
    manifest_hash: path.split('/').at(-1),
    state: 'IndexFinished',
    success: true,
  })
  const vuln = (path: string) => ({
    manifest_hash: path.split('/').at(-1),
    packages: {},
    vulnerabilities: {},
  })
  const clair: Handler = (req, res, body) => {
    const path = decodeURIComponent(req.url ?? '')
    if (req.method === 'DELETE') return json(res, 204)
    // The answer is the report of the manifest posted: anything else is not a report (not_report).
    if (req.method === 'POST')
      return json(res, 201, report(`/${(JSON.parse(body) as { hash: string }).hash}`))
    if (path.includes('/index_report/')) return json(res, 200, report(path))
    if (path.includes('/vulnerability_report/')) return json(res, 200, vuln(path))
    json(res, 404, { code: 'not-found', message: 'no route' })
  }
  const canaryServer = await serve(clair)
  const productionServer = await serve(clair)
  const canary = new ClairClient(target('canary', canaryServer.url), CLIENT)
  const production = new ClairClient(target('production', productionServer.url), CLIENT)
  const store = new MemorySink()
  try {
    const options: ReplayOptions = {
      rate: 50,
      concurrency: 2,
      productionRate: 100,
      deleteFirst: true,
      rereadFraction: 1,
    }
    const out = await replay(
      digests.map((hash) => ({
        manifest: { hash, layers: [{ hash, uri: 'http://127.0.0.1:9/blob', headers: {} }] },
      })),
      options,
      { canary, production, store, random: seededRandom('it') },
    )
    assert.equal(out.records.length, 3)
    assert.ok(productionServer.seen.length > 0)
    assert.deepEqual([...new Set(productionServer.seen.map((s) => s.method))], ['GET'])
    for (const digest of digests) {
      const deletes = canaryServer.seen.filter(
        (s) => s.method === 'DELETE' && decodeURIComponent(s.path).endsWith(digest),
      )
      assert.equal(deletes.length, 1, digest)
    }
    assert.equal(canaryServer.seen.filter((s) => s.method === 'POST').length, 3)
    for (const r of out.records) {
      assert.equal(r.fresh_index, true)
      assert.deepEqual(
        r.requests
          .filter((q) => q.read === undefined)
          .map((q) => `${q.side} ${q.op} ${q.status}`)
          .sort(),
        [
          'canary delete_index_report 204',
          'canary index 201',
          'canary index_report 200',
          'canary vulnerability_report 200',
          'production index_report 200',
          'production vulnerability_report 200',
        ],
      )
    }
    for (const side of ['canary', 'production', 'canary-reread', 'production-reread'] as const) {
      assert.equal(store.writes.filter((w) => w.side === side).length, 6, side)
    }
  } finally {
    await Promise.all([canary.close(), production.close()])
    await Promise.all([canaryServer.close(), productionServer.close()])
  }
})

test('replay against the Clair stand-in: real manifests are indexed fresh and read from both sides', async () => {
  const images = generateCorpus({ seed: 'replay-it', count: 3 })
  const blobs = await startBlobServer({ blobs: corpusBlobs(images) })
  const psk = 'c2VjcmV0LXJlcGxheS1pdA=='
  const canaryStandin = await startClairStandin({ psk, seed: 'replay-it' })
  const productionStandin = await startClairStandin({ psk, seed: 'replay-it' })
  const key = new Uint8Array(Buffer.from(psk, 'base64'))
  const canary = new ClairClient(target('canary', canaryStandin.url, key), CLIENT)
  const production = new ClairClient(target('production', productionStandin.url, key), CLIENT)
  const store = new MemorySink()
  try {
    const manifests = corpusManifests(images, blobs.url)
    // Production has these manifests already (as it would in Quay); we only ever GET from it.
    for (const m of manifests) {
      const res = await fetch(`${productionStandin.url}/indexer/api/v1/index_report`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await bearer(key)}` },
        body: JSON.stringify(m),
      })
      assert.equal(res.status, 201)
      await res.arrayBuffer()
    }
    const out = await replay(
      manifests.map((manifest) => ({ manifest })),
      { rate: 20, concurrency: 2, productionRate: 50, deleteFirst: true, rereadFraction: 0 },
      { canary, production, store },
    )
    assert.equal(out.records.length, 3)
    for (const r of out.records) {
      assert.equal(r.fresh_index, true, JSON.stringify(r.requests))
      assert.equal(r.canary_state, 'IndexFinished')
      assert.equal(r.production_state, 'IndexFinished')
      assert.ok(
        r.requests.every((q) => q.error === undefined),
        JSON.stringify(r.requests),
      )
    }
    assert.equal(store.writes.filter((w) => w.side === 'canary').length, 6)
    assert.equal(store.writes.filter((w) => w.side === 'production').length, 6)
  } finally {
    await Promise.all([canary.close(), production.close()])
    await Promise.all([canaryStandin.close(), productionStandin.close(), blobs.close()])
  }
})

async function bearer(key: Uint8Array): Promise<string> {
  const { SignJWT } = await import('jose')
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('quay')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key)
}
