// ClairClient against tiny node:http servers that misbehave on purpose. Whole-server behaviour lives in
// the stand-in (standin/); these servers only simulate transport faults and status sequences.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { jwtVerify } from 'jose'
import { ClairClient, joinUrl, type ClientDeps } from '../../../src/clair/client.ts'
import { Secret } from '../../../src/secret.ts'
import type { ClairTarget, ClientOptions } from '../../../src/clair/client.ts'
import { UserError } from '../../../src/errors.ts'

const DIGEST = 'sha256:' + 'c'.repeat(64)
const KEY = new TextEncoder().encode('secret')

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, n: number) => void | Promise<void>

async function serve(handler: Handler): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      seen.push(s)
      void handler(req, res, s, seen.length)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

const OPTIONS: ClientOptions = {
  timeouts: { indexMs: 5_000, otherMs: 5_000 },
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, budgetMs: 1_000 },
  maxResponseBytes: 64 * 1024,
  connections: 4,
}

function target(url: string, extra: Partial<ClairTarget> = {}): ClairTarget {
  return { side: 'canary', url, issuer: 'quay', ...extra }
}

/** A client whose sleeps are recorded, not waited. */
function client(
  t: { after: (fn: () => Promise<void>) => void },
  tgt: ClairTarget,
  options: Partial<ClientOptions> = {},
  deps: ClientDeps = {},
): { clair: ClairClient; sleeps: number[] } {
  const sleeps: number[] = []
  const clair = new ClairClient(
    tgt,
    { ...OPTIONS, ...options },
    {
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      ...deps,
    },
  )
  t.after(() => clair.close())
  return { clair, sleeps }
}

const indexReport = (state = 'IndexFinished', err = '') => ({
  manifest_hash: DIGEST,
  state,
  packages: {},
  distributions: {},
  environments: {},
  success: state === 'IndexFinished',
  err,
})

test('joinUrl keeps a base path prefix and the query', () => {
  assert.equal(
    joinUrl('https://clair.example/', '/indexer/api/v1/index_state'),
    'https://clair.example/indexer/api/v1/index_state',
  )
  assert.equal(
    joinUrl('https://lb.example/clair//', '/matcher/api/v1/x?kind=enrichment&latest=true'),
    'https://lb.example/clair/matcher/api/v1/x?kind=enrichment&latest=true',
  )
})

test('POST index_report: signed, JSON in, 201 out, ETag without quotes, path prefix honoured', async (t) => {
  const server = await serve((_req, res) => json(res, 201, indexReport(), { etag: '"8a4f0c2e"' }))
  t.after(server.close)
  const { clair } = client(t, target(`${server.url}/clair/`, { psk: new Secret(KEY) }))
  const manifest = { hash: DIGEST, layers: [{ hash: 'sha256:' + 'd'.repeat(64), uri: 'http://blobs/x' }] }
  const answer = await clair.index(manifest)
  assert.equal(answer.status, 201)
  assert.equal(answer.error, undefined)
  assert.equal(answer.etag, '8a4f0c2e')
  assert.equal(answer.body?.state, 'IndexFinished')
  assert.equal(answer.attempts, 1)
  assert.ok(answer.bytes > 0 && answer.latencyMs >= 0)
  const [request] = server.seen
  assert.equal(request?.method, 'POST')
  assert.equal(request?.url, '/clair/indexer/api/v1/index_report')
  assert.deepEqual(JSON.parse(request.body), manifest)
  assert.match(request.headers['content-type'] ?? '', /application\/json/)
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  assert.ok(token, 'a bearer token is sent')
  const { payload } = await jwtVerify(token, KEY, { issuer: 'quay', algorithms: ['HS256'] })
  assert.ok(payload.exp! - payload.iat! <= 300)
})

test('GET routes use Clair paths; no Authorization without a PSK', async (t) => {
  const server = await serve((req, res) => {
    if (req.url?.startsWith('/indexer/api/v1/index_state'))
      return json(res, 200, { state: 'abc' }, { etag: '"abc"' })
    if (req.url?.startsWith('/indexer/api/v1/index_report/')) {
      if (req.method === 'DELETE') return void res.writeHead(204).end()
      return json(res, 200, indexReport())
    }
    if (req.url?.startsWith('/matcher/api/v1/vulnerability_report/')) {
      // Clair labels vulnerability reports with the index report media type (FACTS 1.5): we must not care.
      res.writeHead(200, { 'content-type': 'application/vnd.clair.index_report.v1+json' })
      return void res.end(JSON.stringify({ manifest_hash: DIGEST, vulnerabilities: {} }))
    }
    if (req.url?.startsWith('/matcher/api/v1/internal/update_operation'))
      return json(res, 200, { 'debian-updater': [] })
    json(res, 404, { code: 'not-found', message: 'no route' })
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  assert.equal((await clair.indexState()).body?.state, 'abc')
  assert.equal((await clair.indexReport(DIGEST)).body?.manifest_hash, DIGEST)
  assert.equal((await clair.vulnerabilityReport(DIGEST)).body?.manifest_hash, DIGEST)
  assert.deepEqual((await clair.updateOperations('enrichment')).body, { 'debian-updater': [] })
  const deleted = await clair.deleteIndexReport(DIGEST)
  assert.equal(deleted.status, 204)
  assert.equal(deleted.body, null)
  assert.equal(deleted.error, undefined)
  assert.deepEqual(
    server.seen.map((s) => `${s.method} ${s.url}`),
    [
      'GET /indexer/api/v1/index_state',
      `GET /indexer/api/v1/index_report/${DIGEST}`,
      `GET /matcher/api/v1/vulnerability_report/${DIGEST}`,
      'GET /matcher/api/v1/internal/update_operation?kind=enrichment&latest=true',
      `DELETE /indexer/api/v1/index_report/${DIGEST}`,
    ],
  )
  for (const s of server.seen) assert.equal(s.headers.authorization, undefined)
})

test('an HTML body where JSON is expected is not_json; a JSON 404 is not_found, an HTML 404 is not', async (t) => {
  const server = await serve((req, res) => {
    if (req.url?.includes('vulnerability_report')) {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end('<html><body>Sign in</body></html>')
    }
    if (req.url?.includes('index_state')) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return void res.end('<!doctype html><h1>Not Found</h1>')
    }
    json(res, 404, { code: 'not-found', message: 'index report not found' })
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const vr = await clair.vulnerabilityReport(DIGEST)
  assert.equal(vr.error, 'not_json')
  assert.equal(vr.status, 200)
  assert.equal(vr.body, undefined)
  const ir = await clair.indexReport(DIGEST)
  assert.equal(ir.error, 'not_found')
  assert.match(ir.message ?? '', /index report not found/)
  assert.equal((await clair.indexState()).error, 'not_json')
})

/** Clair's apiError: a chunked JSON error body, then the handler aborts and the last chunk never comes. */
function clairError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-content-type-options': 'nosniff',
    trailer: 'Clair-Error',
  })
  res.write(JSON.stringify({ code, message }), () => res.socket?.destroy())
}

test("three 404s told apart: Clair's JSON not-found (cut short as Clair aborts), Go's route 404, a proxy's", async (t) => {
  const server = await serve((req, res) => {
    if (req.url?.includes('/indexer/api/v1/index_report/'))
      return clairError(res, 404, 'not-found', 'index report not found')
    if (req.url?.includes('vulnerability_report')) {
      // net/http's NotFound for a path no handler serves
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
      return void res.end('404 page not found\n')
    }
    res.writeHead(404, { 'content-length': '0' })
    res.end()
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const ir = await clair.indexReport(DIGEST)
  assert.equal(ir.error, 'not_found', ir.message)
  assert.match(ir.message ?? '', /not-found: index report not found .*database query failed/)
  const vr = await clair.vulnerabilityReport(DIGEST)
  assert.equal(vr.error, 'no_route')
  assert.match(vr.message ?? '', /no such route/)
  const state = await clair.indexState()
  assert.equal(state.error, 'http_4xx')
  assert.match(state.message ?? '', /something other than Clair/)
})

test("Clair's 500 error body, cut short as Clair aborts, is still the index_error it names", async (t) => {
  const server = await serve((_req, res) =>
    clairError(res, 500, 'internal-error', 'failed to start scan: boom'),
  )
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.index({ hash: DIGEST, layers: [] })
  assert.equal(answer.error, 'index_error', answer.message)
  assert.match(answer.message ?? '', /failed to start scan: boom/)
})

test('an error body cut short before its JSON ends keeps the text that arrived, without signatures', async (t) => {
  const server = await serve((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' })
    res.write(
      '{"code":"internal-error","message":"failed to fetch https://blobs.example/l?X-Amz-Signature=c0ffee: 403 Forb',
      () => res.socket?.destroy(),
    )
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, 'truncated', answer.message)
  assert.match(
    answer.message ?? '',
    /it starts: .*internal-error.*failed to fetch https:\/\/blobs\.example\/l/,
  )
  assert.doesNotMatch(answer.message ?? '', /c0ffee/)
})

test('an empty 401 is unauthorized and the message carries no token', async (t) => {
  const server = await serve((_req, res) => void res.writeHead(401, { 'content-length': '0' }).end())
  t.after(server.close)
  const { clair } = client(t, target(server.url, { psk: new Secret(KEY) }))
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.status, 401)
  assert.equal(answer.error, 'unauthorized')
  assert.equal(answer.attempts, 1, '401 is not retried')
  const token = server.seen[0]!.headers.authorization!.slice('Bearer '.length)
  assert.ok(!answer.message!.includes(token))
  assert.match(answer.message!, /auth\.psk\.iss/)
})

test('a body cut short (Content-Length larger than sent, then the socket dies) is truncated', async (t) => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
    res.write('{"manifest_hash":"sha256:')
    setTimeout(() => res.socket?.destroy(), 20)
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, 'truncated')
  assert.equal(answer.status, 200)
  assert.equal(answer.body, undefined)
  assert.ok(answer.bytes > 0 && answer.bytes < 1000)
})

test('complete but unparseable JSON is truncated; a 200 text body is not_json; JSON null breaks the contract', async (t) => {
  const server = await serve((req, res) => {
    if (req.url?.includes('index_state')) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end('ok')
    }
    if (req.url?.includes('vulnerability_report')) return void res.writeHead(200).end('null')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"manifest_hash": "sha256:')
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  assert.equal((await clair.indexReport(DIGEST)).error, 'truncated')
  assert.equal((await clair.indexState()).error, 'not_json')
  assert.equal((await clair.vulnerabilityReport(DIGEST)).error, 'contract')
})

test('bodies over maxResponseBytes are too_large and reading stops', async (t) => {
  const big = Buffer.alloc(256 * 1024, 'x')
  const server = await serve((req, res) => {
    if (req.url?.includes('index_state')) {
      // Declared up front: refused before reading.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) })
      return void res.end(big)
    }
    res.writeHead(200, { 'content-type': 'application/json' }) // chunked: caught while reading
    res.end(big)
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url), { maxResponseBytes: 16 * 1024 })
  const declared = await clair.indexState()
  assert.equal(declared.error, 'too_large')
  assert.equal(declared.bytes, 0)
  const streamed = await clair.vulnerabilityReport(DIGEST)
  assert.equal(streamed.error, 'too_large')
  assert.ok(streamed.bytes > 16 * 1024 && streamed.bytes < big.length, `stopped at ${streamed.bytes} bytes`)
})

test('a slow answer past the route timeout is timeout: otherMs for the matcher, indexMs for the indexer', async (t) => {
  const server = await serve((req, res) => {
    const body = req.url?.includes('index_state') ? { state: 'abc' } : { manifest_hash: DIGEST }
    setTimeout(() => json(res, 200, body), 300)
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url), { timeouts: { indexMs: 5_000, otherMs: 50 } })
  const vr = await clair.vulnerabilityReport(DIGEST)
  assert.equal(vr.error, 'timeout')
  assert.equal(vr.status, null)
  assert.equal(vr.attempts, 1, 'a timeout is not retried')
  const state = await clair.indexState()
  assert.equal(state.error, undefined, 'the indexer route has the longer timeout')
  assert.equal(state.body?.state, 'abc')
})

test('a body that stalls past the timeout is timeout, not truncated', async (t) => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
    res.write('{"state":')
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url), { timeouts: { indexMs: 80, otherMs: 80 } })
  const answer = await clair.indexState()
  assert.equal(answer.error, 'timeout')
  assert.equal(answer.status, 200)
})

test('429 then 201: retried after a jittered sleep', async (t) => {
  const server = await serve((_req, res, _s, n) => {
    if (n === 1)
      return json(res, 429, { code: 'too-many-requests', message: 'server handling too many requests' })
    json(res, 201, indexReport(), { etag: '"s"' })
  })
  t.after(server.close)
  const { clair, sleeps } = client(t, target(server.url), {}, { random: () => 0.5 })
  const answer = await clair.index({ hash: DIGEST, layers: [] })
  assert.equal(answer.status, 201)
  assert.equal(answer.error, undefined)
  assert.equal(answer.attempts, 2)
  assert.deepEqual(sleeps, [0.5 * OPTIONS.retry.baseDelayMs])
})

test('a 2xx with an empty body breaks the contract: Quay calls resp.json() on every 2xx it validates', async (t) => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 0 })
    res.end()
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.vulnerabilityReport(DIGEST)
  assert.equal(answer.status, 200)
  assert.equal(answer.error, 'contract')
  assert.match(answer.message ?? '', /empty body/)
})

test('503 then 201: the retry carries layer URLs signed again, not the first ones', async (t) => {
  const server = await serve((_req, res, _s, n) => {
    if (n === 1) return json(res, 503, { code: 'unavailable', message: 'try later' })
    json(res, 201, indexReport(), { etag: '"s"' })
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  let signed = 0
  const layer = () => ({ hash: DIGEST, uri: `http://blobs/${DIGEST}?X-Amz-Signature=${++signed}` })
  const answer = await clair.index({ hash: DIGEST, layers: [layer()] }, async () => ({
    hash: DIGEST,
    layers: [layer()],
  }))
  assert.equal(answer.status, 201)
  const uris = server.seen.map(
    (s) => (JSON.parse(s.body) as { layers: Array<{ uri: string }> }).layers[0]!.uri,
  )
  assert.deepEqual(uris, [
    `http://blobs/${DIGEST}?X-Amz-Signature=1`,
    `http://blobs/${DIGEST}?X-Amz-Signature=2`,
  ])
})

test('202 then 200 on vulnerability_report: the matcher becomes ready', async (t) => {
  const server = await serve((_req, res, _s, n) => {
    if (n <= 2) return void res.writeHead(202, { 'content-length': '0' }).end()
    json(res, 200, { manifest_hash: DIGEST })
  })
  t.after(server.close)
  const { clair, sleeps } = client(t, target(server.url), {}, { random: () => 1 })
  const answer = await clair.vulnerabilityReport(DIGEST)
  assert.equal(answer.status, 200)
  assert.equal(answer.attempts, 3)
  assert.deepEqual(sleeps, [10, 20], 'exponential caps: base, 2 x base')
})

test('202 until attempts run out is not_ready; 202 elsewhere is not retried', async (t) => {
  const server = await serve((_req, res) => void res.writeHead(202, { 'content-length': '0' }).end())
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const vr = await clair.vulnerabilityReport(DIGEST)
  assert.equal(vr.error, 'not_ready')
  assert.equal(vr.attempts, OPTIONS.retry.maxAttempts)
  assert.match(vr.message!, /after 4 attempts/)
  const before = server.seen.length
  const ir = await clair.indexReport(DIGEST)
  assert.equal(ir.attempts, 1)
  assert.equal(server.seen.length, before + 1)
  assert.equal(ir.error, 'http_4xx', 'an unexpected status is an error, never a report')
})

test("500 with Clair's error body on POST is index_error; the message drops the signed URL's query", async (t) => {
  const signed =
    'https://quay-bucket.s3.amazonaws.com/datastorage/registry/sha256/e6/e623?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=0123abcd'
  const server = await serve((_req, res) =>
    json(res, 500, {
      code: 'internal-error',
      message: `failed to start scan: fetcher: GET "${signed}": unexpected status 403`,
    }),
  )
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.index({ hash: DIGEST, layers: [] })
  assert.equal(answer.status, 500)
  assert.equal(answer.error, 'index_error')
  assert.equal(answer.attempts, 1, 'a 500 is not retried')
  assert.deepEqual(
    Object.keys(answer.body ?? {}).sort(),
    ['code', 'message'],
    'the stored error body is kept',
  )
  const message = answer.message!
  assert.ok(!message.includes('?'), message)
  assert.ok(!message.includes('X-Amz'), message)
  assert.ok(!message.includes('AKIAEXAMPLE'), message)
  assert.ok(!message.includes('\n'))
  assert.match(message, /quay-bucket\.s3\.amazonaws\.com\/datastorage\/registry\/sha256\/e6\/e623/)
})

test('a stored IndexError read back with 200 is index_error with its report', async (t) => {
  const server = await serve((_req, res) =>
    json(res, 200, indexReport('IndexError', 'fetch https://blobs.example/x?sig=s3cr3t: 404')),
  )
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, 'index_error')
  assert.equal(answer.body?.state, 'IndexError')
  assert.ok(!answer.message!.includes('s3cr3t'))
})

test('the production client refuses POST and DELETE without sending anything', async (t) => {
  const server = await serve((_req, res) => json(res, 201, indexReport()))
  t.after(server.close)
  const { clair } = client(t, target(server.url, { side: 'production' }))
  assert.equal(clair.readOnly, true)
  assert.equal(clair.side, 'production')
  for (const write of [
    () => clair.index({ hash: DIGEST, layers: [] }),
    () => clair.deleteIndexReport(DIGEST),
  ]) {
    await assert.rejects(write, (error: unknown) => error instanceof Error && !(error instanceof UserError))
  }
  assert.equal(server.seen.length, 0)
  assert.equal((await clair.indexReport(DIGEST)).status, 201 /* GETs still work */)
})

test('the retry budget bounds the total wait, whatever maxAttempts allows', async (t) => {
  const server = await serve((_req, res) => json(res, 429, { code: 'too-many-requests', message: 'busy' }))
  t.after(server.close)
  const retry = { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 400, budgetMs: 650 }
  const { clair, sleeps } = client(t, target(server.url), { retry }, { random: () => 1 })
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, 'rate_limited')
  assert.equal(answer.status, 429)
  const total = sleeps.reduce((a, b) => a + b, 0)
  assert.ok(total <= retry.budgetMs, `waited ${total} ms`)
  assert.ok(answer.attempts < retry.maxAttempts)
  assert.equal(answer.attempts, sleeps.length + 1)
  assert.equal(server.seen.length, answer.attempts)
  for (const ms of sleeps) assert.ok(ms <= retry.maxDelayMs)
})

test('Retry-After from the server is honoured up to maxDelayMs', async (t) => {
  const server = await serve((_req, res, _s, n) =>
    n === 1
      ? json(res, 503, { message: 'draining' }, { 'retry-after': '1' })
      : json(res, 200, { state: 'x' }),
  )
  t.after(server.close)
  const { clair, sleeps } = client(t, target(server.url), {}, { random: () => 0 })
  assert.equal((await clair.indexState()).body?.state, 'x')
  assert.deepEqual(sleeps, [OPTIONS.retry.maxDelayMs])
})

test('refused connections: GETs retry, then connection with a null status; no introspection URL is connection', async (t) => {
  const server = await serve(() => undefined)
  const url = server.url
  await server.close()
  const { clair, sleeps } = client(t, target(url))
  const answer = await clair.indexState()
  assert.equal(answer.error, 'connection')
  assert.equal(answer.status, null)
  assert.equal(answer.attempts, OPTIONS.retry.maxAttempts)
  assert.equal(sleeps.length, OPTIONS.retry.maxAttempts - 1)
  assert.equal(answer.bytes, 0)
  const ready = await clair.readyz()
  assert.equal(ready.error, 'connection')
  assert.equal(ready.attempts, 0)
  assert.match(ready.message!, /introspection/)
})

test('a connection reset on POST is not retried (the request may have been received)', async (t) => {
  const server = await serve((req) => void req.socket.destroy())
  t.after(server.close)
  const { clair } = client(t, target(server.url))
  const answer = await clair.index({ hash: DIGEST, layers: [] })
  assert.equal(answer.error, 'connection')
  assert.equal(answer.attempts, 1)
  const get = await clair.indexReport(DIGEST)
  assert.equal(get.attempts, OPTIONS.retry.maxAttempts)
})

test('introspection: readyz is one attempt (its caller polls), metrics is text', async (t) => {
  let ready = false
  const server = await serve((req, res) => {
    if (req.url === '/readyz') return void res.writeHead(ready ? 200 : 503, { 'content-length': '0' }).end()
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      return void res.end('clair_cmd_version_info{revision="abc"} 1\n')
    }
    res.writeHead(404).end()
  })
  t.after(server.close)
  const { clair } = client(
    t,
    target('http://127.0.0.1:9', { introspectionUrl: server.url, psk: new Secret(KEY) }),
  )
  const notReady = await clair.readyz()
  assert.equal(notReady.status, 503)
  assert.equal(notReady.attempts, 1)
  assert.equal(notReady.error, 'http_5xx')
  ready = true
  const isReady = await clair.readyz()
  assert.equal(isReady.status, 200)
  assert.equal(isReady.error, undefined)
  const metrics = await clair.metrics()
  assert.equal(metrics.body, 'clair_cmd_version_info{revision="abc"} 1\n')
  assert.match(server.seen.at(-1)!.headers.accept ?? '', /text\/plain/)
  for (const s of server.seen) assert.equal(s.headers.authorization, undefined, 'no token to introspection')
})

test('keep-alive: sequential requests reuse pooled connections', async (t) => {
  const sockets = new Set<unknown>()
  const server = await serve((req, res) => {
    sockets.add(req.socket)
    json(res, 200, { state: 'x' })
  })
  t.after(server.close)
  const { clair } = client(t, target(server.url), { connections: 1 })
  for (let i = 0; i < 5; i++) assert.equal((await clair.indexState()).error, undefined)
  assert.equal(sockets.size, 1)
})

test('a failure that will not heal (TLS to a plain HTTP server) is not retried', async (t) => {
  const server = await serve((_req, res) => json(res, 200, { state: 'x' }))
  t.after(server.close)
  const { clair, sleeps } = client(t, target(server.url.replace('http:', 'https:')))
  const answer = await clair.indexState()
  assert.equal(answer.error, 'connection')
  assert.equal(answer.attempts, 1)
  assert.deepEqual(sleeps, [])
})
