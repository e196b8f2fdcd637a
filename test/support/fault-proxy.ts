// A reverse proxy in front of one side (a Clair stand-in or a real Clair) that plants a fault on that side's
// report reads (GET index_report / vulnerability_report), for the manifests it is told to, and forwards the
// rest as it came. It also keeps every request's method and path: the read-only proof reads them (it times
// arrivals with a tap on its own thread, test/support/arrivals.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'

export type FaultName =
  | 'http-500'
  | 'http-503'
  | 'http-503-once'
  | 'http-429-retry-after-once'
  | 'http-429'
  | 'not-ready-202'
  | 'http-401'
  | 'html-200'
  | 'truncated-json'
  | 'reset-mid-body'
  | 'reset-mid-body-once'
  | 'trickle'
  | 'too-large'
  | 'wrong-content-type'
  | 'redirect'
  | 'never-answers'
  | 'empty-object'
  | 'another-manifest'
  | 'index-error'

export interface Seen {
  method: string
  path: string
}

export interface FaultProxy {
  url: string
  seen: Seen[]
  /**
   * Plant `fault` on the report reads of `digests` (every manifest when undefined); undefined: no fault.
   * `err`: the text of an index-error report (Clair quotes what it failed on there).
   */
  plant(fault: FaultName | undefined, digests?: ReadonlySet<string>, err?: string): void
  close(): Promise<void>
}

const REPORT = /\/(index_report|vulnerability_report)\/([^/?]+)$/
const OTHER = `sha256:${'f'.repeat(64)}`

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const seen: Seen[] = []
  let fault: FaultName | undefined
  let only: ReadonlySet<string> | undefined
  let errText = ''
  const attempts = new Map<string, number>()
  const held = new Set<ServerResponse>()

  const forward = async (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v
    const res = await request(new URL(req.url ?? '/', target), {
      method: req.method as 'GET',
      headers,
      ...(body.length > 0 ? { body } : {}),
    })
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.headers))
      if (typeof v === 'string' && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v
    return { status: res.statusCode, headers: out, body: Buffer.from(await res.body.arrayBuffer()) }
  }

  const send = (
    res: ServerResponse,
    answer: { status: number; headers: Record<string, string>; body: Buffer },
  ) => {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) })
    res.end(answer.body)
  }

  const plantOn = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    op: string,
    key: string,
  ): Promise<boolean> => {
    const n = (attempts.get(key) ?? 0) + 1
    attempts.set(key, n)
    const json = (status: number, value: unknown, extra: Record<string, string> = {}) =>
      send(res, {
        status,
        headers: { 'content-type': 'application/json', ...extra },
        body: Buffer.from(JSON.stringify(value)),
      })
    switch (fault) {
      case 'http-500':
        return (json(500, { code: 'internal-error', message: 'planted' }), true)
      case 'http-503':
        return (json(503, { code: 'unavailable', message: 'planted' }), true)
      case 'http-503-once':
        return n === 1 ? (json(503, { code: 'unavailable', message: 'planted' }), true) : false
      case 'http-429-retry-after-once':
        return n === 1
          ? (json(429, { code: 'too-many', message: 'planted' }, { 'retry-after': '1' }), true)
          : false
      case 'http-429':
        return (json(429, { code: 'too-many', message: 'planted' }), true)
      case 'not-ready-202':
        if (op !== 'vulnerability_report') return false
        return (send(res, { status: 202, headers: {}, body: Buffer.alloc(0) }), true)
      case 'http-401':
        return (send(res, { status: 401, headers: {}, body: Buffer.alloc(0) }), true)
      case 'html-200':
        return (
          send(res, {
            status: 200,
            headers: { 'content-type': 'text/html' },
            body: Buffer.from('<html><body>Sign in to continue</body></html>'),
          }),
          true
        )
      case 'truncated-json': {
        const whole = await forward(req, body)
        return (
          send(res, { ...whole, body: whole.body.subarray(0, Math.floor(whole.body.length / 2)) }),
          true
        )
      }
      case 'reset-mid-body':
      case 'reset-mid-body-once': {
        if (fault === 'reset-mid-body-once' && n > 1) return false
        const whole = await forward(req, body)
        res.writeHead(whole.status, { ...whole.headers, 'content-length': String(whole.body.length) })
        res.write(whole.body.subarray(0, Math.floor(whole.body.length / 2)))
        setTimeout(() => res.socket?.destroy(), 5)
        return true
      }
      case 'trickle': {
        // Only on index reports: the vulnerability report's latency is judged, and a slow one is not benign.
        if (op !== 'index_report') return false
        const whole = await forward(req, body)
        res.writeHead(whole.status, { ...whole.headers, 'content-length': String(whole.body.length) })
        const step = Math.ceil(whole.body.length / 4)
        for (let i = 0; i < whole.body.length; i += step) {
          res.write(whole.body.subarray(i, i + step))
          await new Promise((r) => setTimeout(r, 15))
        }
        res.end()
        return true
      }
      case 'too-large': {
        // 2 MiB of valid JSON: over a 1 MiB limit.
        const pad = 'x'.repeat(2 * 1024 * 1024)
        return (json(200, { manifest_hash: key.split(' ')[1], pad }), true)
      }
      case 'wrong-content-type': {
        const whole = await forward(req, body)
        return (send(res, { ...whole, headers: { ...whole.headers, 'content-type': 'text/plain' } }), true)
      }
      case 'redirect':
        return (
          send(res, {
            status: 302,
            headers: { location: 'http://127.0.0.1:9/elsewhere' },
            body: Buffer.alloc(0),
          }),
          true
        )
      case 'never-answers':
        held.add(res)
        return true
      case 'empty-object':
        return (json(200, {}), true)
      case 'index-error': {
        const whole = await forward(req, body)
        const report = JSON.parse(whole.body.toString()) as Record<string, unknown>
        if (op !== 'index_report') return false
        return (json(200, { ...report, state: 'IndexError', success: false, err: errText }), true)
      }
      case 'another-manifest': {
        const whole = await forward(req, body)
        const report = JSON.parse(whole.body.toString()) as Record<string, unknown>
        return (json(200, { ...report, manifest_hash: OTHER }), true)
      }
      default:
        return false
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '/'
        seen.push({ method: req.method ?? '', path })
        const body = Buffer.concat(chunks)
        const m = REPORT.exec(path.split('?')[0] ?? '')
        const digest = m ? decodeURIComponent(m[2] ?? '') : undefined
        if (fault && req.method === 'GET' && m && digest && (!only || only.has(digest))) {
          if (await plantOn(req, res, body, m[1] ?? '', `${m[1]} ${digest}`)) return
        }
        send(res, await forward(req, body))
      })().catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    plant(next, digests, err) {
      fault = next
      only = digests
      errText = err ?? ''
      attempts.clear()
      for (const res of held) res.destroy()
      held.clear()
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of held) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
