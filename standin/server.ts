// The Clair stand-in: one whole-server test double that behaves as ../shared/clair/FACTS.md
// sections 1-3 say Clair v4 does (indexer and matcher on one port, introspection on another).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { jwtVerify } from 'jose'
import { fetch } from 'undici'
import type { Manifest } from '../src/clair/types.ts'
import { resolveProfile, type ScenarioProfile } from './profiles.ts'
import { hashFraction, randomRng, sha256Digest, type Rng } from './rng.ts'
import {
  idTable,
  renderIndexReport,
  renderVulnerabilityReport,
  shuffledJson,
  type StoredIndex,
  type Tables,
} from './render.ts'
import { coalesce, indexState, scanLayer, scannerSet, type LayerContents } from './scanners.ts'
import { decompress, readTar, sniffCompression } from './tar.ts'
import { buildVulnDb, type VulnDb } from './vulndb.ts'

export interface StandinOptions {
  /** Base64 PSK (Clair's auth.psk.key); absent = no authentication. */
  psk?: string
  /** Accepted `iss` values besides clair-intraservice; default ["quay", "clairctl"]. */
  issuers?: string[]
  /** Seeds the vulnerability database (give both sides the same seed). */
  seed?: string
  profile?: ScenarioProfile | string
  /** Concurrent POSTs allowed under /indexer (Clair: index_report_request_concurrency); < 0 = no limit. */
  concurrencyLimit?: number
  /** vulnerability_report answers 202 until this many ms after start. */
  matcherReadyAfterMs?: number
  /** /readyz answers 503 until this many ms after start. */
  readyAfterMs?: number
  revision?: string
  version?: string
  /** Whose JSON the reports carry (standin/render.ts); also the claircore_version label. Default v1.5.52. */
  claircore?: 'v1.5.48' | 'v1.5.52'
}

export interface ClairStandin {
  url: string
  introspectionUrl: string
  close(): Promise<void>
}

export const INDEX_REPORT_TYPE = 'application/vnd.clair.index_report.v1+json'
const PLAIN_TYPE = 'text/plain; charset=utf-8'
const INDEX_STATE_TYPE = 'application/vnd.clair.index_state.v1+json'
const INTRASERVICE_ISSUER = 'clair-intraservice'
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/
/** Clair's request-duration buckets, "roughly exponential from 0.5 to 300 seconds". */
const DURATION_BUCKETS = [0.5, 0.7, 1.1, 1.7, 2.7, 4.2, 6.5, 10, 15, 23, 36, 54, 83, 128, 196, 300]

/** Why claircore's ParseDigest refuses `digest` (digest.go, typo included), or undefined when it parses. */
export function digestError(digest: string): string | undefined {
  const i = digest.indexOf(':')
  if (i < 0) return 'invalid digest format'
  const algo = digest.slice(0, i)
  const hex = digest.slice(i + 1)
  // Go's hex.Decode takes either case; an odd length or another character fails.
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return 'unable to decode digest as hex'
  const want = algo === 'sha256' ? 32 : algo === 'sha512' ? 64 : undefined
  if (want === undefined) return `unknown algorthm ${JSON.stringify(algo)}`
  if (hex.length / 2 !== want) return `bad checksum length: ${hex.length / 2}`
  return undefined
}

/** Clair's `%v` of its allowed media types, as its 415 says. */
const negotiate = (...types: string[]) => `unable to negotiate common media type for [${types.join(' ')}]`
const P = {
  indexReport: '/indexer/api/v1/index_report',
  indexState: '/indexer/api/v1/index_state',
  vulnerabilityReport: '/matcher/api/v1/vulnerability_report/',
  updateOperation: '/matcher/api/v1/internal/update_operation',
}

class HttpError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

interface Reply {
  status: number
  headers?: Record<string, string | string[]>
  /** JSON body (serialised with shuffled keys) or a raw string; absent = empty body. */
  json?: unknown
  text?: string
  /** The metrics `handler` label; absent = not counted (e.g. not routed). */
  handler?: string
  subsystem?: 'indexerv1' | 'matcherv1'
}

function apiError(
  status: number,
  code: string,
  message: string,
  handler?: string,
  subsystem?: Reply['subsystem'],
): Reply {
  return {
    status,
    headers: { 'X-Content-Type-Options': 'nosniff', Trailer: 'Clair-Error' },
    json: { code, message },
    ...(handler ? { handler } : {}),
    ...(subsystem ? { subsystem } : {}),
  }
}

// Clair's pickContentType: no Accept, any type, application/json or the vendor type.
function acceptable(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept
  if (!accept) return true
  return accept.split(',').some((part) => {
    const t = part.split(';')[0]?.trim()
    return t === '*/*' || t === 'application/*' || t === 'application/json' || t === type
  })
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * The compression a layer's Content-Type promises, as claircore's fetcher reads it (libindex/fetcher.go): the whole
 * header value compared exactly; an empty, text/plain or octet-stream type takes what the bytes are; anything else
 * unknown is refused.
 */
export function layerCompression(type: string, sniffed: 'gzip' | 'zstd' | 'none'): 'gzip' | 'zstd' | 'none' {
  if (['', 'text/plain', 'binary/octet-stream', 'application/octet-stream'].includes(type)) return sniffed
  if (
    type === 'application/vnd.docker.image.rootfs.diff.tar.gzip' ||
    type === 'application/gzip' ||
    type === 'application/x-gzip' ||
    type.endsWith('.tar+gzip')
  )
    return 'gzip'
  if (type === 'application/zstd' || type.endsWith('.tar+zstd')) return 'zstd'
  if (type === 'application/x-tar' || type.endsWith('.tar')) return 'none'
  throw new Error(`fetcher: unknown content-type ${JSON.stringify(type)}`)
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

export async function startClairStandin(opts: StandinOptions = {}): Promise<ClairStandin> {
  const profile = resolveProfile(opts.profile)
  const seed = opts.seed ?? 'clair-standin'
  const rng: Rng = randomRng()
  const started = Date.now()
  const scanners = scannerSet(profile)
  const state = indexState(scanners)
  const db: VulnDb = buildVulnDb(seed, profile)
  const tables: Tables = {
    packages: idTable(rng),
    distributions: idTable(rng),
    repositories: idTable(rng),
    vulnerabilities: idTable(rng),
  }
  const reports = new Map<string, StoredIndex>()
  const layerCache = new Map<string, LayerContents>()
  const locks = new Map<string, Promise<unknown>>()
  const key = opts.psk !== undefined ? Buffer.from(opts.psk, 'base64') : undefined
  const issuers = [...(opts.issuers ?? ['quay', 'clairctl']), INTRASERVICE_ISSUER]
  // Clair's default index_report_request_concurrency: GOMAXPROCS x 4 (config indexer.go); Go's GOMAXPROCS is the
  // environment variable when set, else the CPUs available.
  const gomaxprocs = Number.parseInt(process.env['GOMAXPROCS'] ?? '', 10)
  const limit = opts.concurrencyLimit ?? (gomaxprocs > 0 ? gomaxprocs : availableParallelism()) * 4
  let inFlight = 0
  const requestTotals = new Map<string, number>()
  /** Per (subsystem, handler, code, method): observations per bucket (cumulative at render), sum, count. */
  const durations = new Map<string, { buckets: number[]; sum: number; count: number }>()
  const arrived = new WeakMap<IncomingMessage, number>()
  const limited = new Map<string, number>()
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

  // Update operations: refs and dates belong to this instance's database, fingerprints to the data.
  const operations = db.updaters.map((u, i) => {
    const latest = started - (5 + i) * 60_000 - rng.int(0, 59_000)
    return [0, 1, 2].map((age) => ({
      ref: randomUUID(),
      updater: u.updater,
      fingerprint: age === 0 ? u.fingerprint : sha256Digest(`${u.fingerprint}:${age}`).slice(7, 39),
      date: new Date(latest - age * 6 * 3_600_000).toISOString(),
      kind: u.kind,
    }))
  })

  const render = {
    tables,
    rng,
    ...(profile.flipFraction ? { flipFraction: profile.flipFraction } : {}),
    ...(opts.claircore ? { claircore: opts.claircore } : {}),
  }

  async function authorized(req: IncomingMessage): Promise<boolean> {
    if (!key) return true
    // middleware/auth/handler.go: strings.HasPrefix(h, "Bearer "), exactly that case and one space.
    const header = req.headers.authorization ?? ''
    if (!header.startsWith('Bearer ')) return false
    try {
      const { payload } = await jwtVerify(header.slice('Bearer '.length), key, {
        algorithms: ['HS256', 'HS384', 'HS512'],
        issuer: issuers,
        clockTolerance: 15,
      })
      // go-jose also refuses an iat in the future; jose only checks iat with maxTokenAge.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + 15) return false
      return true
    } catch {
      return false
    }
  }

  async function withLock<T>(digest: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(digest) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    locks.set(digest, tail)
    try {
      return await run
    } finally {
      if (locks.get(digest) === tail) locks.delete(digest)
    }
  }

  async function latency(kind: 'index' | 'report') {
    const base = profile.latencyMs?.[kind]
    if (!base) return
    const jitter = profile.latencyMs?.jitter ?? 0
    await sleep(Math.max(0, base * (1 + (rng.next() * 2 - 1) * jitter)))
  }

  async function fetchLayer(layer: Manifest['layers'][number]): Promise<LayerContents> {
    const headers: Record<string, string> = {}
    for (const [name, values] of Object.entries(layer.headers ?? {})) headers[name] = values.join(', ')
    let res
    try {
      res = await fetch(layer.uri, { headers, signal: AbortSignal.timeout(60_000) })
    } catch (e) {
      // Go's client names the URL in transport errors, query string and all.
      throw new Error(
        `fetcher: encountered error while fetching a layer: Get "${layer.uri}": ${(e as Error).message}`,
      )
    }
    const bytes = Buffer.from(await res.arrayBuffer())
    if (res.status !== 200) {
      throw new Error(
        `fetcher: encountered error while fetching a layer: unexpected status code: ${res.status} ${res.statusText}`,
      )
    }
    const got = sha256Digest(bytes)
    if (got !== layer.hash) throw new Error(`fetcher: layer ${layer.hash}: digest mismatch: got ${got}`)
    const compression = sniffCompression(bytes)
    const claimed = layerCompression(res.headers.get('content-type') ?? '', compression)
    if (claimed !== compression) {
      throw new Error(
        `fetcher: mismatched compression (${JSON.stringify(compression)}) and content-type (${JSON.stringify(res.headers.get('content-type') ?? '')})`,
      )
    }
    let files: Map<string, Buffer>
    try {
      files = await readTar(decompress(bytes, compression))
    } catch (e) {
      throw new HttpError(
        400,
        'bad-request',
        `tarfs: format error: layer ${layer.hash}: ${(e as Error).message}`,
      )
    }
    return scanLayer(files, profile)
  }

  async function index(manifest: Manifest): Promise<StoredIndex> {
    const existing = reports.get(manifest.hash)
    // checkManifest: already scanned by every configured scanner -> answer from the store.
    if (existing?.state === 'IndexFinished') return existing
    const layers = manifest.layers.map((l) => l.hash)
    const fail = (err: string): StoredIndex => {
      const stored: StoredIndex = {
        digest: manifest.hash,
        state: 'IndexError',
        err,
        content: { distributions: [], repositories: [], packages: [] },
        layers,
      }
      reports.set(manifest.hash, stored)
      return stored
    }
    // Hold the contents locally: a concurrent DELETE of another manifest may evict shared layers.
    const contents = new Map<string, LayerContents>()
    try {
      for (const layer of manifest.layers) {
        let scanned = layerCache.get(layer.hash) ?? contents.get(layer.hash)
        if (!scanned) {
          scanned = await fetchLayer(layer)
          layerCache.set(layer.hash, scanned)
        }
        contents.set(layer.hash, scanned)
      }
    } catch (e) {
      const stored = fail(`failed to fetch layers: ${(e as Error).message}`)
      if (e instanceof HttpError) throw new HttpError(e.status, e.code, `failed to start scan: ${stored.err}`)
      throw new HttpError(500, 'internal-error', `failed to start scan: ${stored.err}`)
    }
    if (
      profile.indexErrorFraction &&
      hashFraction('index-error', manifest.hash) < profile.indexErrorFraction
    ) {
      const stored = fail(
        'failed to scan all layer contents: scanner: python/3: unexpected EOF reading METADATA',
      )
      throw new HttpError(500, 'internal-error', `failed to start scan: ${stored.err}`)
    }
    const content = coalesce(
      manifest.layers.map((l) => ({ digest: l.hash, contents: contents.get(l.hash) as LayerContents })),
    )
    const stored: StoredIndex = { digest: manifest.hash, state: 'IndexFinished', err: '', content, layers }
    reports.set(manifest.hash, stored)
    return stored
  }

  function deleteReport(digest: string): boolean {
    const had = reports.delete(digest)
    // Layers no other manifest references go too, so a re-index fetches them again.
    const referenced = new Set([...reports.values()].flatMap((r) => r.layers))
    for (const layer of [...layerCache.keys()]) if (!referenced.has(layer)) layerCache.delete(layer)
    return had
  }

  const etag = `"${state}"`
  const unmodified = (req: IncomingMessage, tag: string) => req.headers['if-none-match'] === tag

  async function postIndexReport(req: IncomingMessage): Promise<Reply> {
    const h = P.indexReport
    let manifest: Manifest
    try {
      manifest = JSON.parse((await readBody(req)).toString('utf8')) as Manifest
      if (typeof manifest !== 'object' || manifest === null) throw new Error('not an object')
      if (manifest.hash && !DIGEST.test(manifest.hash)) throw new Error(`invalid digest "${manifest.hash}"`)
      for (const l of manifest.layers ?? [])
        if (!DIGEST.test(l.hash ?? '')) throw new Error(`invalid layer digest "${l.hash}"`)
    } catch (e) {
      return apiError(
        400,
        'bad-request',
        `failed to deserialize manifest: ${(e as Error).message}`,
        h,
        'indexerv1',
      )
    }
    if (!manifest.hash || !Array.isArray(manifest.layers) || manifest.layers.length === 0) {
      return apiError(400, 'bad-request', 'bogus manifest', h, 'indexerv1')
    }
    if (unmodified(req, etag)) return { status: 412, handler: h, subsystem: 'indexerv1' }
    await latency('index')
    try {
      const stored = await withLock(manifest.hash, () => index(manifest))
      return {
        status: 201,
        handler: h,
        subsystem: 'indexerv1',
        headers: {
          // Real Clair sets no type here: Go's sniffing labels the JSON text/plain (checked against v4.9.0).
          'Content-Type': PLAIN_TYPE,
          Etag: etag,
          Location: `${P.indexReport}/${manifest.hash}`,
          Link: [
            `<${P.indexReport}/${manifest.hash}>; rel="https://projectquay.io/clair/v1/index_report"`,
            `<${P.vulnerabilityReport}${manifest.hash}>; rel="https://projectquay.io/clair/v1/vulnerability_report"`,
          ],
        },
        json: renderIndexReport(render, stored),
      }
    } catch (e) {
      if (e instanceof HttpError) return apiError(e.status, e.code, e.message, h, 'indexerv1')
      throw e
    }
  }

  async function route(req: IncomingMessage, url: URL): Promise<Reply> {
    const method = req.method ?? 'GET'
    const path = url.pathname
    const notAllowed = (handler: string, subsystem: Reply['subsystem']) =>
      apiError(405, 'method-not-allowed', `method disallowed: ${method}`, handler, subsystem)

    if (path === P.indexReport) {
      if (method === 'POST') return postIndexReport(req)
      if (method === 'DELETE') {
        let digests: string[]
        try {
          digests = JSON.parse((await readBody(req)).toString('utf8')) as string[]
          if (!Array.isArray(digests) || digests.some((d) => typeof d !== 'string' || !DIGEST.test(d)))
            throw new Error('want an array of digests')
        } catch (e) {
          return apiError(
            400,
            'bad-request',
            `failed to deserialize bulk delete: ${(e as Error).message}`,
            path,
            'indexerv1',
          )
        }
        const deleted = digests.filter((d) => deleteReport(d))
        return {
          status: 200,
          handler: path,
          subsystem: 'indexerv1',
          headers: { 'Content-Type': 'application/json' },
          json: deleted,
        }
      }
      return notAllowed(path, 'indexerv1')
    }
    if (path.startsWith(`${P.indexReport}/`)) {
      const h = `${P.indexReport}/:digest`
      const digest = decodeURIComponent(path.slice(P.indexReport.length + 1))
      if (method !== 'GET' && method !== 'DELETE') return notAllowed(h, 'indexerv1')
      // indexer_v1.go indexReportOne: the digest first, then the media type, then the state's 304 (no ETag).
      const malformed = digestError(digest)
      if (malformed) return apiError(400, 'bad-request', `malformed path: ${malformed}`, h, 'indexerv1')
      if (method === 'DELETE') {
        deleteReport(digest)
        return { status: 204, handler: h, subsystem: 'indexerv1' }
      }
      if (!acceptable(req, INDEX_REPORT_TYPE))
        return apiError(
          415,
          'internal-error',
          negotiate(INDEX_REPORT_TYPE, 'application/json'),
          h,
          'indexerv1',
        )
      // Checked before the lookup, as Clair does: even an unknown digest answers 304, and without an ETag.
      if (unmodified(req, etag)) return { status: 304, handler: h, subsystem: 'indexerv1' }
      await latency('report')
      const stored = reports.get(digest.toLowerCase())
      if (!stored) return apiError(404, 'not-found', 'index report not found', h, 'indexerv1')
      return {
        status: 200,
        handler: h,
        subsystem: 'indexerv1',
        headers: { 'Content-Type': INDEX_REPORT_TYPE, Etag: etag },
        json: renderIndexReport(render, stored),
      }
    }
    if (path === P.indexState) {
      if (method !== 'GET') return notAllowed(path, 'indexerv1')
      if (!acceptable(req, INDEX_STATE_TYPE))
        return apiError(
          415,
          'internal-error',
          negotiate(INDEX_STATE_TYPE, 'application/json'),
          path,
          'indexerv1',
        )
      if (unmodified(req, etag))
        return { status: 304, handler: path, subsystem: 'indexerv1', headers: { Etag: etag } }
      return {
        status: 200,
        handler: path,
        subsystem: 'indexerv1',
        headers: { 'Content-Type': INDEX_STATE_TYPE, Etag: etag },
        json: { state },
      }
    }
    if (path.startsWith(P.vulnerabilityReport)) {
      const h = P.vulnerabilityReport
      if (method !== 'GET')
        return apiError(405, 'method-not-allowed', 'endpoint only allows GET', h, 'matcherv1')
      // matcher_v1.go: the digest, then Initialized (202), then the report.
      const digest = decodeURIComponent(path.slice(h.length))
      const malformed = digestError(digest)
      if (malformed) return apiError(400, 'bad-request', `malformed path: ${malformed}`, h, 'matcherv1')
      if (Date.now() - started < (opts.matcherReadyAfterMs ?? 0))
        return { status: 202, handler: h, subsystem: 'matcherv1' }
      await latency('report')
      const stored = reports.get(digest.toLowerCase())
      if (!stored || stored.state !== 'IndexFinished') {
        return apiError(404, 'not-found', `index report for manifest "${digest}" not found`, h, 'matcherv1')
      }
      return {
        status: 200,
        handler: h,
        subsystem: 'matcherv1',
        // Clair v4.9+ really sends the index report type here.
        headers: {
          'Content-Type': INDEX_REPORT_TYPE, // matcher.cache_age defaults to the updater period, 6h.
          'Cache-Control': 'max-age=21600',
        },
        json: renderVulnerabilityReport(render, stored, db),
      }
    }
    if (path === P.updateOperation) {
      if (method !== 'GET') return notAllowed(path, 'matcherv1')
      const kind = url.searchParams.get('kind') ?? 'vulnerability'
      if (kind !== 'vulnerability' && kind !== 'enrichment') {
        return apiError(400, 'bad-request', `unknown kind: "${kind}"`, path, 'matcherv1')
      }
      const latestOnly = url.searchParams.get('latest') === 'true'
      const body: Record<string, unknown[]> = {}
      let newest: { ref: string; date: string } | undefined
      for (const ops of operations) {
        const first = ops[0]
        if (!first || first.kind !== kind) continue
        body[first.updater] = latestOnly ? [first] : ops
        if (!newest || first.date > newest.date) newest = first
      }
      const tag = `"${newest?.ref ?? ''}"`
      if (unmodified(req, tag))
        return { status: 304, handler: path, subsystem: 'matcherv1', headers: { Etag: tag } }
      return {
        status: 200,
        handler: path,
        subsystem: 'matcherv1',
        headers: { 'Content-Type': PLAIN_TYPE, Etag: tag },
        json: body,
      }
    }
    // An unknown route is Go's mux answer, not Clair's JSON error (checked against v4.9.0).
    return { status: 404, headers: { 'Content-Type': PLAIN_TYPE }, text: '404 page not found\n' }
  }

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply, truncate: boolean) {
    if (reply.handler && reply.subsystem) {
      const series = `${reply.subsystem}\0${reply.handler}\0${reply.status}\0${(req.method ?? 'GET').toLowerCase()}`
      bump(requestTotals, series)
      const seconds = (performance.now() - (arrived.get(req) ?? performance.now())) / 1000
      const d = durations.get(series) ?? { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 }
      const bucket = DURATION_BUCKETS.findIndex((le) => seconds <= le)
      if (bucket >= 0) d.buckets[bucket]!++
      d.sum += seconds
      d.count++
      durations.set(series, d)
    }
    const headers: Record<string, string | string[] | number> = { ...reply.headers }
    let body: Buffer | undefined
    if (reply.json !== undefined) {
      body = Buffer.from(shuffledJson(reply.json, rng))
      headers['Content-Type'] ??= 'application/json'
    } else if (reply.text !== undefined) {
      body = Buffer.from(reply.text)
    }
    const chunked = headers['Trailer'] !== undefined
    if (body && !chunked) headers['Content-Length'] = body.length
    res.writeHead(reply.status, headers)
    if (truncate && body && body.length > 1 && !chunked) {
      // Flush half the body, then close the connection cleanly so the client sees it cut short.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.end())
      return
    }
    res.end(body)
  }

  type Fault = 'html' | 'emptyUnauthorized' | 'truncated' | 'reset' | 'noEtag' | 'emptyOk' | undefined
  function pickFault(): Fault {
    const f = profile.faults
    if (!f) return undefined
    let roll = rng.next()
    for (const kind of ['reset', 'html', 'emptyUnauthorized', 'truncated', 'noEtag', 'emptyOk'] as const) {
      roll -= f[kind] ?? 0
      if (roll < 0) return kind
    }
    return undefined
  }

  /** A 2xx answer that breaks Quay's contract outside the schema, when the fault asks for it. */
  function broken(reply: Reply, fault: Fault): Reply {
    if (reply.status < 200 || reply.status > 299) return reply
    if (fault === 'noEtag' && reply.status === 201) {
      const headers = Object.fromEntries(
        Object.entries(reply.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'etag'),
      )
      return { ...reply, headers }
    }
    if (fault === 'emptyOk') {
      const { json: _json, text: _text, ...rest } = reply
      return rest
    }
    return reply
  }

  const api = createServer((req, res) => {
    arrived.set(req, performance.now())
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://standin.invalid')
      if (url.pathname === '/robots.txt')
        return send(req, res, { status: 200, text: 'User-agent: *\nDisallow: /\n' }, false)
      const fault = pickFault()
      if (fault === 'reset') {
        req.socket.destroy()
        return
      }
      if (fault === 'html') {
        const html =
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n'
        return send(req, res, { status: 502, headers: { 'Content-Type': 'text/html' }, text: html }, false)
      }
      if (fault === 'emptyUnauthorized' || !(await authorized(req)))
        return send(req, res, { status: 401 }, false)
      const limitedRoute =
        (req.method === 'POST' && url.pathname.startsWith('/indexer/')) || url.pathname === P.indexReport
      if (limitedRoute && limit >= 0 && inFlight >= limit) {
        bump(limited, `${url.pathname}\0${(req.method ?? 'GET').toLowerCase()}`)
        return send(req, res, apiError(429, 'too-many-requests', 'server handling too many requests'), false)
      }
      if (limitedRoute) inFlight++
      try {
        send(req, res, broken(await route(req, url), fault), fault === 'truncated')
      } finally {
        if (limitedRoute) inFlight--
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) send(req, res, apiError(500, 'internal-error', (e as Error).message), false)
      else res.destroy()
    })
  })

  function metrics(): string {
    const lines = [
      '# HELP clair_cmd_version_info Version information.',
      '# TYPE clair_cmd_version_info gauge',
      `clair_cmd_version_info{claircore_version="${opts.claircore ?? 'v1.5.52'}",goversion="go1.24.4",modified="false",revision="${escapeLabel(opts.revision ?? 'eb22407da3d3ee32534ed956be3696080754288d')}",version="${escapeLabel(opts.version ?? 'v4.9.0')}"} 1`,
    ]
    // Clair's names, labels and buckets (httptransport/instrumentation.go): promhttp's counter and duration
    // histogram per handler, code (status as a string) and method (lower-case).
    for (const subsystem of ['indexerv1', 'matcherv1']) {
      const name = `clair_http_${subsystem}`
      lines.push(`# HELP ${name}_request_total A total count of http requests for the given path`)
      lines.push(`# TYPE ${name}_request_total counter`)
      const mine = [...requestTotals].filter(([k]) => k.startsWith(`${subsystem}\0`))
      const labels = (k: string) => {
        const [, handler, code, method] = k.split('\0') as [string, string, string, string]
        return `code="${code}",handler="${escapeLabel(handler)}",method="${method}"`
      }
      for (const [k, n] of mine) lines.push(`${name}_request_total{${labels(k)}} ${n}`)
      lines.push(
        `# HELP ${name}_request_duration_seconds Distribution of request durations for the given path`,
      )
      lines.push(`# TYPE ${name}_request_duration_seconds histogram`)
      for (const [k] of mine) {
        const d = durations.get(k)
        if (!d) continue
        let cumulative = 0
        DURATION_BUCKETS.forEach((le, i) => {
          cumulative += d.buckets[i]!
          lines.push(`${name}_request_duration_seconds_bucket{${labels(k)},le="${le}"} ${cumulative}`)
        })
        lines.push(`${name}_request_duration_seconds_bucket{${labels(k)},le="+Inf"} ${d.count}`)
        lines.push(`${name}_request_duration_seconds_sum{${labels(k)}} ${d.sum}`)
        lines.push(`${name}_request_duration_seconds_count{${labels(k)}} ${d.count}`)
      }
    }
    lines.push(
      '# HELP clair_http_concurrencylimited_total Total number of requests rejected by the concurrency limiter.',
    )
    lines.push('# TYPE clair_http_concurrencylimited_total counter')
    for (const [k, n] of limited) {
      const [endpoint, method] = k.split('\0') as [string, string]
      lines.push(
        `clair_http_concurrencylimited_total{endpoint="${escapeLabel(endpoint)}",method="${method}"} ${n}`,
      )
    }
    return lines.join('\n') + '\n'
  }

  const introspection = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://standin.invalid').pathname
    const plain = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
      res.end(body)
    }
    if (req.method !== 'GET') return plain(405, 'method not allowed\n')
    if (path === '/healthz') return plain(200, 'ok')
    if (path === '/readyz')
      return Date.now() - started >= (opts.readyAfterMs ?? 0) ? plain(200, '') : plain(503, '')
    if (path === '/metrics') return plain(200, metrics(), 'text/plain; version=0.0.4; charset=utf-8')
    return plain(404, '404 page not found\n')
  })

  const listen = (server: Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    )
  const close = (server: Server) =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()))
      server.closeAllConnections()
    })
  const [apiPort, introspectionPort] = await Promise.all([listen(api), listen(introspection)])
  return {
    url: `http://127.0.0.1:${apiPort}`,
    introspectionUrl: `http://127.0.0.1:${introspectionPort}`,
    close: async () => {
      await Promise.all([close(api), close(introspection)])
    },
  }
}
