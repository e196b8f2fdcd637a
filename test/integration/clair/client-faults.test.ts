// Reliability of ClairClient's reads (issue 11): a failed read is retried, every attempt goes through the gate
// (production's rate limiter), and a signal ends in-flight requests and retry waits at once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ClairClient } from '../../../src/clair/client.ts'
import type { ClientOptions } from '../../../src/clair/client.ts'

const DIGEST = 'sha256:' + 'd'.repeat(64)
const OPTIONS: ClientOptions = {
  timeouts: { indexMs: 5_000, otherMs: 5_000 },
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, budgetMs: 1_000 },
  maxResponseBytes: 64 * 1024,
  connections: 4,
}
const REPORT = JSON.stringify({ manifest_hash: DIGEST, state: 'IndexFinished', packages: {} })

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<{ url: string; methods: string[]; close: () => Promise<void> }> {
  const methods: string[] = []
  const server = createServer((req, res) => {
    methods.push(req.method ?? '')
    handler(req, res, methods.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    methods,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The first answer is cut mid-body (the socket dies after half the JSON), the next ones are whole. */
function cutOnce(_req: IncomingMessage, res: ServerResponse, n: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(REPORT.length) })
  if (n > 1) return void res.end(REPORT)
  res.write(REPORT.slice(0, 20))
  setTimeout(() => res.socket?.destroy(), 10)
}

test('a GET whose body is cut mid-way is read again and succeeds', async (t) => {
  const server = await serve(cutOnce)
  t.after(server.close)
  const clair = new ClairClient({ side: 'production', url: server.url, issuer: 'quay' }, OPTIONS, {
    sleep: async () => {},
  })
  t.after(() => clair.close())
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, undefined, answer.message)
  assert.equal(answer.attempts, 2)
  assert.equal((answer.body as { state: string }).state, 'IndexFinished')
})

test('a POST whose body is cut is not sent again (the canary may have indexed it)', async (t) => {
  const server = await serve(cutOnce)
  t.after(server.close)
  const clair = new ClairClient({ side: 'canary', url: server.url, issuer: 'quay' }, OPTIONS, {
    sleep: async () => {},
  })
  t.after(() => clair.close())
  const answer = await clair.index({ hash: DIGEST, layers: [] })
  assert.equal(answer.error, 'truncated')
  assert.equal(answer.attempts, 1)
  assert.deepEqual(server.methods, ['POST'])
})

test('every attempt, retries included, passes the gate first', async (t) => {
  const server = await serve((_req, res, n) => {
    if (n < 3) {
      res.writeHead(503, { 'content-type': 'application/json' })
      return void res.end('{"code":"unavailable","message":"busy"}')
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(REPORT)
  })
  t.after(server.close)
  let gated = 0
  const clair = new ClairClient({ side: 'production', url: server.url, issuer: 'quay' }, OPTIONS, {
    sleep: async () => {},
    gate: async () => {
      gated++
    },
  })
  t.after(() => clair.close())
  assert.equal(clair.paced, true)
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, undefined, answer.message)
  assert.equal(answer.attempts, 3)
  assert.equal(gated, 3)
  assert.equal(server.methods.length, 3)
})

test("a wait in production's queue is not Clair's latency: the attempt is timed from its release", async (t) => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(REPORT)
  })
  t.after(server.close)
  // A clock that moves only while the gate holds the request: whatever Clair took, it took no clock time.
  let clock = 0
  const clair = new ClairClient({ side: 'production', url: server.url, issuer: 'quay' }, OPTIONS, {
    now: () => clock,
    gate: async () => {
      clock += 5_000
    },
  })
  t.after(() => clair.close())
  const answer = await clair.vulnerabilityReport(DIGEST)
  assert.equal(answer.error, undefined, answer.message)
  assert.equal(answer.attemptMs, 0)
  assert.equal(answer.latencyMs, 5_000)
})

test("each attempt's turn ends as its request goes out, before any answer, once per attempt", async (t) => {
  const ends: string[] = []
  /** How many turns had ended when each request reached the server. */
  const endedOnArrival: number[] = []
  const server = await serve((_req, res, n) => {
    endedOnArrival.push(ends.length)
    res.writeHead(n === 1 ? 503 : 200, { 'content-type': 'application/json' })
    res.end(n === 1 ? '{"code":"unavailable","message":"busy"}' : REPORT)
  })
  t.after(server.close)
  const clair = new ClairClient({ side: 'production', url: server.url, issuer: 'quay' }, OPTIONS, {
    sleep: async () => {},
    gate: async () => {
      const attempt = ends.length + 1
      return { sent: () => void ends.push(`attempt ${attempt}`) }
    },
  })
  t.after(() => clair.close())
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, undefined, answer.message)
  assert.equal(answer.attempts, 2)
  assert.deepEqual(endedOnArrival, [1, 2], 'each turn had ended when its request reached the server')
  assert.deepEqual(ends, ['attempt 1', 'attempt 2'], 'one end per attempt, none twice')
})

test('a request that never reaches the server (connection refused) still ends its turn', async () => {
  const server = await serve(() => {})
  const url = server.url
  await server.close()
  let ended = 0
  const clair = new ClairClient({ side: 'production', url, issuer: 'quay' }, OPTIONS, {
    sleep: async () => {},
    gate: async () => ({ sent: () => void ended++ }),
  })
  try {
    const answer = await clair.indexReport(DIGEST)
    assert.equal(answer.error, 'connection', answer.message)
    assert.equal(answer.attempts, OPTIONS.retry.maxAttempts, 'a refused connection is retried')
    assert.equal(ended, answer.attempts)
  } finally {
    await clair.close()
  }
})

test('a signal aborts a request in flight at once: cancelled, not a timeout or a connection error', async (t) => {
  const controller = new AbortController()
  // Aborted once the server holds the request (never answered): a fixed delay could end it before it was sent.
  const server = await serve(() => controller.abort())
  t.after(server.close)
  const clair = new ClairClient({ side: 'canary', url: server.url, issuer: 'quay' }, OPTIONS, {
    signal: controller.signal,
  })
  t.after(() => clair.close())
  const answer = await clair.vulnerabilityReport(DIGEST)
  assert.equal(answer.error, 'cancelled')
  assert.equal(answer.status, null)
  assert.ok(answer.latencyMs < OPTIONS.timeouts.otherMs, `ended after ${answer.latencyMs} ms`)
})

test('a signal ends the wait between attempts, and nothing is sent after it', async (t) => {
  const controller = new AbortController()
  // Aborted once the 429 is on its way, not after a fixed delay: a loaded machine may not have sent the first
  // request by then. Without the signal, the wait would be 60 s and a second request would follow.
  const server = await serve((_req, res) => {
    res.writeHead(429, { 'retry-after': '60', 'content-type': 'application/json' })
    res.end('{"code":"too-many","message":"slow down"}', () => controller.abort())
  })
  t.after(server.close)
  const clair = new ClairClient(
    { side: 'production', url: server.url, issuer: 'quay' },
    { ...OPTIONS, retry: { ...OPTIONS.retry, maxDelayMs: 60_000, budgetMs: 60_000 } },
    { signal: controller.signal },
  )
  t.after(() => clair.close())
  const answer = await clair.indexReport(DIGEST)
  assert.equal(answer.error, 'cancelled')
  assert.equal(server.methods.length, 1)
})
