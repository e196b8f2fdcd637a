// ClairApi over HTTP, as the real server behaves (FACTS 1.2-1.5, 3.2, 4.3). One pooled keep-alive
// undici Agent per client; every answer is classified into an ErrorClass with a one-line, secret-free
// message, so a record always says why a request did not give us a report.
import { performance } from 'node:perf_hooks'
import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import { Agent, request } from './undici.ts'
import type { ClairApi, ClairResponse } from './api.ts'
import type { IndexReport, IndexStateBody, Manifest, UpdateOperations, VulnerabilityReport } from './types.ts'
import type { ErrorClass, Side } from './types.ts'
import type { Secret } from '../secret.ts'
import { PskSigner } from './jwt.ts'
import { redactText } from './redact.ts'

export interface ClairTarget {
  side: Side
  /** API base URL; /indexer/api/v1/ and /matcher/api/v1/ are joined onto it (path-routed like Clair's L7 balancer). */
  url: string
  /** Introspection base URL (:8089): /readyz and /metrics. Optional for production. */
  introspectionUrl?: string
  /** The PSK, already base64-decoded: the HS256 key. Absent when the target has no auth. */
  psk?: Secret<Uint8Array>
  /** JWT `iss` claim; must be in Clair's auth.psk.iss list. */
  issuer: string
}

export interface Timeouts {
  /** index_state, POST/GET/DELETE index_report (Quay: 600 s). */
  indexMs: number
  /** vulnerability_report and everything else (Quay: 30 s). */
  otherMs: number
}

export interface RetryPolicy {
  /** Attempts per request, including the first. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Total milliseconds a request may spend waiting between attempts. */
  budgetMs: number
}

export interface ClientOptions {
  timeouts: Timeouts
  retry: RetryPolicy
  /** Bodies larger than this are an error of class too_large. */
  maxResponseBytes: number
  /** Keep-alive connections per origin. */
  connections: number
}

export interface ClientDeps {
  /** Monotonic milliseconds, for latency. */
  now?: () => number
  /** Waits between attempts. */
  sleep?: (ms: number) => Promise<void>
  /** [0, 1), for full jitter. */
  random?: () => number
  /**
   * Awaited before every attempt, retries included (production's rate limiter): a retry is a request too.
   * Rejects when the signal aborts. When it resolves to a turn, the turn is told the moment the attempt's
   * request goes to the socket (or that it never will).
   */
  gate?: Gate
  /** Aborts in-flight requests and waits between attempts at once (SIGINT, SIGTERM). */
  signal?: AbortSignal
}

/** Production's rate limiter, as the client sees it (src/replay/limiter.ts). */
export type Gate = (signal?: AbortSignal) => Promise<{ sent(): void } | void>

type Method = 'GET' | 'POST' | 'DELETE'

interface Route {
  method: Method
  base: 'api' | 'introspection'
  /** Path below the base URL, already encoded, with its query string. */
  path: string
  timeoutMs: number
  /** What a successful answer carries. */
  expect: 'json' | 'text' | 'none'
  ok: readonly number[]
  /** 202 is "matcher not ready" only on vulnerability_report. */
  notReadyIs202?: boolean
  /** index_report answers: a 500 with Clair's error body is the stored IndexError. */
  indexReport?: 'post' | 'get'
  /** readyz is polled by its caller: one attempt, no retries. */
  single?: boolean
  body?: string
  /** The body for a retry: an index POST re-signs its layer URLs, which may have expired while backing off. */
  retryBody?: () => Promise<string>
  accept?: string
}

interface Attempt {
  status: number | null
  headers: IncomingHttpHeaders
  text: string
  bytes: number
  error?: ErrorClass
  message?: string
  /** Node error code of a transport failure (ECONNREFUSED, UND_ERR_SOCKET, ...). */
  code?: string
  /** When the request went out, after the limiter released it: a wait in production's queue is not Clair's latency. */
  sentAt?: number
}

const INDEXER = '/indexer/api/v1'
const MATCHER = '/matcher/api/v1'
const USER_AGENT = 'clair-canary'

export class ClairClient implements ClairApi {
  readonly side: 'canary' | 'production'
  readonly readOnly: boolean
  readonly paced: boolean
  readonly #target: ClairTarget
  readonly #options: ClientOptions
  readonly #agent: Agent
  readonly #signer: PskSigner | undefined
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>
  readonly #random: () => number
  readonly #gate: Gate | undefined
  readonly #signal: AbortSignal | undefined

  constructor(target: ClairTarget, options: ClientOptions, deps: ClientDeps = {}) {
    this.side = target.side
    this.readOnly = target.side === 'production'
    this.#target = target
    this.#options = options
    this.#agent = new Agent({ connections: options.connections })
    this.#signer = target.psk ? new PskSigner(target.psk, target.issuer) : undefined
    this.#now = deps.now ?? (() => performance.now())
    this.#sleep = deps.sleep ?? ((ms) => abortableSleep(ms, deps.signal))
    this.#random = deps.random ?? Math.random
    this.#gate = deps.gate
    this.#signal = deps.signal
    this.paced = deps.gate !== undefined
  }

  indexState(): Promise<ClairResponse<IndexStateBody>> {
    return this.#send(this.#indexer('GET', '/index_state'))
  }

  async index(manifest: Manifest, resign?: () => Promise<Manifest>): Promise<ClairResponse<IndexReport>> {
    this.#refuseOnProduction('POST /indexer/api/v1/index_report')
    return this.#send({
      ...this.#indexer('POST', '/index_report'),
      ok: [201, 200],
      indexReport: 'post',
      body: JSON.stringify(manifest),
      ...(resign ? { retryBody: async () => JSON.stringify(await resign()) } : {}),
    })
  }

  indexReport(digest: string): Promise<ClairResponse<IndexReport>> {
    return this.#send({
      ...this.#indexer('GET', `/index_report/${encodeDigest(digest)}`),
      indexReport: 'get',
    })
  }

  async deleteIndexReport(digest: string): Promise<ClairResponse<null>> {
    this.#refuseOnProduction('DELETE /indexer/api/v1/index_report')
    return this.#send({
      ...this.#indexer('DELETE', `/index_report/${encodeDigest(digest)}`),
      expect: 'none',
      ok: [204, 200],
    })
  }

  vulnerabilityReport(digest: string): Promise<ClairResponse<VulnerabilityReport>> {
    return this.#send({
      ...this.#matcher(`/vulnerability_report/${encodeDigest(digest)}`),
      notReadyIs202: true,
    })
  }

  updateOperations(kind: 'vulnerability' | 'enrichment'): Promise<ClairResponse<UpdateOperations>> {
    return this.#send(this.#matcher(`/internal/update_operation?kind=${kind}&latest=true`))
  }

  readyz(): Promise<ClairResponse<null>> {
    return this.#send({ ...this.#introspection('/readyz', 'none'), single: true })
  }

  metrics(): Promise<ClairResponse<string>> {
    return this.#send({
      ...this.#introspection('/metrics', 'text'),
      // The classic text format; promhttp would otherwise negotiate OpenMetrics or protobuf.
      accept: 'text/plain; version=0.0.4',
    })
  }

  async close(): Promise<void> {
    await this.#agent.close()
  }

  #indexer(method: Method, path: string): Route {
    const timeoutMs = this.#options.timeouts.indexMs
    return { method, base: 'api', path: INDEXER + path, timeoutMs, expect: 'json', ok: [200] }
  }

  #matcher(path: string): Route {
    const timeoutMs = this.#options.timeouts.otherMs
    return { method: 'GET', base: 'api', path: MATCHER + path, timeoutMs, expect: 'json', ok: [200] }
  }

  #introspection(path: string, expect: Route['expect']): Route {
    const timeoutMs = this.#options.timeouts.otherMs
    return { method: 'GET', base: 'introspection', path, timeoutMs, expect, ok: [200] }
  }

  #refuseOnProduction(what: string): void {
    // A bug if reached: the pipeline never writes to production.
    if (this.readOnly)
      throw new Error(`refusing to send ${what} to production: the production client is read-only`)
  }

  async #send<T>(route: Route): Promise<ClairResponse<T>> {
    const label = `${this.side} ${route.method} ${route.path.split('?')[0]}`
    const base = route.base === 'api' ? this.#target.url : this.#target.introspectionUrl
    if (!base) {
      return {
        status: null,
        latencyMs: 0,
        attempts: 0,
        bytes: 0,
        error: 'connection',
        message: `${label}: no introspection URL is configured for ${this.side}`,
      }
    }
    const url = joinUrl(base, route.path)
    const { maxAttempts, baseDelayMs, maxDelayMs, budgetMs } = this.#options.retry
    const limit = route.single ? 1 : Math.max(1, maxAttempts)
    const start = this.#now()
    let waited = 0
    let attempts = 0
    let body = route.body
    let attemptStart = start
    const cancelled = (): ClairResponse<T> => ({
      status: null,
      latencyMs: this.#now() - start,
      attempts,
      bytes: 0,
      error: 'cancelled',
      message: `${label}: cancelled before an answer arrived`,
    })
    for (;;) {
      if (this.#signal?.aborted) return cancelled()
      attempts++
      if (attempts > 1 && route.retryBody) body = await route.retryBody().catch(() => body)
      attemptStart = this.#now()
      const attempt = await this.#attempt(url, { ...route, body })
      if (attempt.sentAt !== undefined) attemptStart = attempt.sentAt
      if (attempt.error === 'cancelled') return cancelled()
      const remaining = budgetMs - waited
      if (attempts < limit && remaining > 0 && this.#retryable(route, attempt)) {
        // Full jitter (AWS architecture blog), never below a server's Retry-After, never past the budget.
        let delay = this.#random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1))
        const retryAfter = retryAfterMs(attempt.headers['retry-after'])
        if (retryAfter !== undefined) delay = Math.max(delay, Math.min(retryAfter, maxDelayMs))
        delay = Math.min(delay, remaining)
        await this.#sleep(delay)
        waited += delay
        continue
      }
      const end = this.#now()
      const latencyMs = end - start
      return {
        attemptMs: end - attemptStart,
        ...this.#interpret<T>(route, attempt, label, attempts),
        latencyMs,
        attempts,
        bytes: attempt.bytes,
      }
    }
  }

  #retryable(route: Route, attempt: Attempt): boolean {
    if (attempt.status === 429 || attempt.status === 503) return true
    if (attempt.status === 202 && route.notReadyIs202) return true
    // A body cut short is a failed read, not an answer: a GET or a DELETE can simply be repeated.
    if (attempt.error === 'truncated' && route.method !== 'POST') return true
    if (attempt.error === 'connection' && attempt.code && TRANSIENT_CODES.has(attempt.code)) {
      // A refused connection never carried the request, so even a POST is safe to repeat.
      return route.method !== 'POST' || attempt.code === 'ECONNREFUSED'
    }
    return false
  }

  async #attempt(url: string, route: Route): Promise<Attempt> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT }
    if (route.expect === 'json') headers['accept'] = 'application/json'
    if (route.accept) headers['accept'] = route.accept
    if (route.body !== undefined) headers['content-type'] = 'application/json'
    // Introspection has no auth: the token goes only where Clair checks it.
    if (this.#signer && route.base === 'api')
      headers['authorization'] = `Bearer ${await this.#signer.token()}`
    // Production's limiter releases the attempt only now, with nothing left to do but send it; it counts the
    // next gap from the moment this request's head is handed to the socket, which undici reports through the
    // dispatcher below, or from its failure. A busy event loop or a new connection in between cannot shrink it.
    let turn: { sent(): void } | void = undefined
    if (this.#gate) {
      try {
        turn = await this.#gate(this.#signal)
      } catch {
        return { status: null, headers: {}, text: '', bytes: 0, error: 'cancelled' }
      }
    }
    if (!turn) return this.#exchange(url, route, headers, this.#agent)
    // Told once: when the head goes out, or when the attempt ends without it (a refused connection, an abort).
    let told = false
    const released = turn
    const tell = (): void => {
      if (told) return
      told = true
      released.sent()
    }
    try {
      return await this.#exchange(url, route, headers, reportingSend(this.#agent, tell))
    } finally {
      tell()
    }
  }

  /** One request and its answer, read whole (up to the size limit). */
  async #exchange(
    url: string,
    route: Route,
    headers: Record<string, string>,
    dispatcher: Dispatcher,
  ): Promise<Attempt> {
    const signal = this.#signal
    const controller = new AbortController()
    if (signal?.aborted) return { status: null, headers: {}, text: '', bytes: 0, error: 'cancelled' }
    const sentAt = this.#now()
    const onAbort = (): void => controller.abort()
    signal?.addEventListener('abort', onAbort)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, route.timeoutMs)
    const result: Attempt = { status: null, headers: {}, text: '', bytes: 0, sentAt }
    const max = this.#options.maxResponseBytes
    try {
      let response: Awaited<ReturnType<typeof request>>
      try {
        response = await request(url, dispatcher, {
          method: route.method,
          headers,
          body: route.body,
          signal: controller.signal,
          // undici's own 300 s defaults would cut Quay's 600 s index timeout short.
          headersTimeout: route.timeoutMs,
          bodyTimeout: route.timeoutMs,
        })
      } catch (error) {
        if (signal?.aborted) return { ...result, error: 'cancelled' }
        return { ...result, ...transportFailure(error, timedOut, route.timeoutMs) }
      }
      result.status = response.statusCode
      result.headers = response.headers
      const declared = Number(response.headers['content-length'])
      if (Number.isFinite(declared) && declared > max) {
        response.body.destroy()
        return {
          ...result,
          error: 'too_large',
          message: `body of ${declared} bytes is over the ${max}-byte limit`,
        }
      }
      const chunks: Buffer[] = []
      try {
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer
          result.bytes += buffer.length
          if (result.bytes > max) {
            response.body.destroy()
            return {
              ...result,
              error: 'too_large',
              message: `body over the ${max}-byte limit; stopped reading`,
            }
          }
          chunks.push(buffer)
        }
      } catch (error) {
        if (signal?.aborted) return { ...result, error: 'cancelled' }
        if (timedOut || errorCode(error) === 'UND_ERR_BODY_TIMEOUT') {
          return { ...result, error: 'timeout', message: `body not complete within ${route.timeoutMs} ms` }
        }
        // Clair's apiError (httptransport/error.go) flushes its JSON error body and then aborts the handler
        // (panic(http.ErrAbortHandler)), so the chunked body never gets its last chunk: the error is complete.
        const partial = Buffer.concat(chunks).toString('utf8')
        if (result.status !== null && result.status >= 400 && errorBody(partial))
          return { ...result, text: partial }
        // Otherwise Clair reports errors after the status line only in a trailer; what we see is a body cut short.
        // An error status's partial text is still Clair's (or a proxy's) word on what went wrong: keep its start.
        const starts =
          result.status !== null && result.status >= 400 && partial.trim()
            ? `; it starts: ${JSON.stringify(partial.slice(0, 300))}`
            : ''
        return {
          ...result,
          error: 'truncated',
          message: `body cut short after ${result.bytes} bytes (${describe(error)})${starts}`,
        }
      }
      result.text = Buffer.concat(chunks).toString('utf8')
      return result
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  #interpret<T>(
    route: Route,
    attempt: Attempt,
    label: string,
    attempts: number,
  ): Pick<ClairResponse<T>, 'status' | 'body' | 'text' | 'etag' | 'error' | 'message'> {
    const status = attempt.status
    const etag = unquoteEtag(attempt.headers['etag'])
    const base = { status, ...(etag !== undefined ? { etag } : {}) }
    const after = attempts > 1 ? ` after ${attempts} attempts` : ''
    const fail = (error: ErrorClass, why: string, body?: unknown) => ({
      ...base,
      ...(body !== undefined ? { body: body as T } : {}),
      error,
      message: redactText(`${label}: ${why}${after}`),
    })
    if (attempt.error) return fail(attempt.error, attempt.message ?? attempt.error)
    if (status === null) return fail('connection', 'no response')
    const contentType = header(attempt.headers, 'content-type')
    const html = looksLikeHtml(contentType, attempt.text)

    if (route.ok.includes(status)) {
      if (route.expect === 'none') return { ...base, body: null as T }
      if (html) return fail('not_json', `HTTP ${status} with an HTML body where ${route.expect} was expected`)
      if (route.expect === 'text') return { ...base, body: attempt.text as T }
      const parsed = parseJson(attempt.text)
      // A complete, empty answer: Quay's resp.json() raises on it (util/secscan/v4/api.py is_valid_response).
      if (!parsed.ok && attempt.bytes === 0)
        return fail('contract', `HTTP ${status} with an empty body where JSON was expected`)
      if (!parsed.ok) {
        return /^text\//i.test(contentType)
          ? fail(
              'not_json',
              `HTTP ${status} with a ${contentType.split(';')[0]} body where JSON was expected`,
            )
          : fail('truncated', `HTTP ${status} with a body that is not complete JSON (${attempt.bytes} bytes)`)
      }
      if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
        return fail('contract', `HTTP ${status} with JSON that is not an object`)
      }
      const report = parsed.value as Record<string, unknown>
      if (route.indexReport && report['state'] === 'IndexError') {
        const err = report['err']
        const why = typeof err === 'string' ? err : (JSON.stringify(err) ?? '')
        return fail('index_error', `index report state IndexError: ${why}`, report)
      }
      return { ...base, body: parsed.value as T, text: attempt.text }
    }

    const clairError = errorBody(attempt.text)
    const detail = clairError ? `: ${[clairError.code, clairError.message].filter(Boolean).join(': ')}` : ''
    if (status === 401) {
      const why = this.#signer
        ? `Clair rejected the token: check the PSK and that "${this.#target.issuer}" is in auth.psk.iss`
        : `Clair requires a token and no PSK is configured for ${this.side}`
      return fail('unauthorized', `HTTP 401: ${why}`)
    }
    if (status === 429) return fail('rate_limited', `HTTP 429${detail}`)
    if (status === 202 && route.notReadyIs202)
      return fail('not_ready', 'HTTP 202: the matcher is not ready yet')
    // Clair's errors are JSON or empty: an HTML page (a 404, a proxy's 502) came from something in front of it.
    if (html)
      return fail(
        'not_json',
        `HTTP ${status} with an HTML body: something other than Clair answered (a proxy or ingress?)`,
      )
    if (status === 404) {
      // Three different 404s: Clair's JSON not-found, Go's mux for a route this server does not have, and
      // anything else (a proxy). Only the first is Clair speaking about the manifest.
      if (clairError?.code === 'not-found') {
        // indexer_v1.go (IndexReport handler) checks `ok` before `err`: a failed query answers this 404 too.
        const why = route.indexReport === 'get' ? ' (no stored report, or its database query failed)' : ''
        return fail('not_found', `HTTP 404${detail}${why}`)
      }
      if (/^text\/plain/i.test(contentType) && attempt.text.trim() === '404 page not found')
        return fail(
          'no_route',
          "HTTP 404 from Go's router: this server has no such route (check the URL's path prefix, and that it serves the indexer and the matcher)",
        )
      return fail(
        'http_4xx',
        `HTTP 404 without Clair's error body${detail}: something other than Clair answered`,
      )
    }
    if (status === 500 && route.indexReport === 'post' && clairError) {
      return fail('index_error', `HTTP 500${detail}`, clairError)
    }
    if (status >= 500) return fail('http_5xx', `HTTP ${status}${detail}`)
    if (status >= 400) return fail('http_4xx', `HTTP ${status}${detail}`)
    return fail('http_4xx', `unexpected HTTP ${status}`)
  }
}

/**
 * The agent, calling `sent` as each request goes out: undici calls onRequestStart just before it writes the
 * request's head to the socket, in the same turn of the event loop, so nothing can run in between. A request
 * that fails without being written (a refused connection, an abort while queued) reports at its failure.
 */
function reportingSend(agent: Agent, sent: () => void): Dispatcher {
  return agent.compose(
    (dispatch) =>
      (options, handler): boolean =>
        dispatch(options, {
          onRequestStart: (controller, context) => {
            sent()
            handler.onRequestStart?.(controller, context)
          },
          onRequestUpgrade: (controller, status, headers, socket) =>
            handler.onRequestUpgrade?.(controller, status, headers, socket),
          onResponseStart: (controller, status, headers, message) =>
            handler.onResponseStart?.(controller, status, headers, message),
          onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
          onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
          onResponseError: (controller, error) => {
            sent()
            handler.onResponseError?.(controller, error)
          },
        }),
  )
}

/** Resolves after ms, or at once when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done)
  })
}

/** Join an API path onto a base URL that may carry its own path prefix. */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base)
  const [pathname = '', query] = path.split('?', 2)
  url.pathname = url.pathname.replace(/\/+$/, '') + pathname
  url.search = query ? `?${query}` : ''
  url.hash = ''
  return url.toString()
}

// Digests go into one path segment; ':' stays readable (Clair's router takes it as is).
function encodeDigest(digest: string): string {
  return encodeURIComponent(digest).replace(/%3A/gi, ':')
}

function unquoteEtag(value: string | string[] | undefined): string | undefined {
  const etag = Array.isArray(value) ? value[0] : value
  if (etag === undefined) return undefined
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1')
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name]
  return (Array.isArray(value) ? value[0] : value) ?? ''
}

function looksLikeHtml(contentType: string, text: string): boolean {
  return /text\/html/i.test(contentType) || text.trimStart().startsWith('<')
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** Clair's error body (httptransport/error.go), when that is what the text is. */
function errorBody(text: string): { code?: string; message: string } | undefined {
  const parsed = parseJson(text)
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object') return undefined
  const { code, message } = parsed.value as Record<string, unknown>
  if (typeof message !== 'string') return undefined
  return typeof code === 'string' ? { code, message } : { message }
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error
  // undici wraps the socket error; the useful code may be on the cause.
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function describe(error: unknown): string {
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  return code && !message.includes(code) ? `${code}: ${message}` : message
}

// Worth another try; a TLS or DNS-name failure is not.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
])
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
])

function transportFailure(error: unknown, timedOut: boolean, timeoutMs: number): Partial<Attempt> {
  const code = errorCode(error)
  if (timedOut || (code && TIMEOUT_CODES.has(code))) {
    return { error: 'timeout', message: `no answer within ${timeoutMs} ms`, ...(code ? { code } : {}) }
  }
  return { error: 'connection', message: describe(error), ...(code ? { code } : {}) }
}
