// A layer blob server standing in for S3 (presigned URLs), Quay's registry and plain URLs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BlobRequest {
  method: string
  /** Path and query as received. */
  url: string
  headers: Record<string, string | string[] | undefined>
}

export type BlobAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  /** null = accepted, else the reason it was refused. */
  | { kind: 'verify'; verify(req: BlobRequest): string | null }

export interface BlobServerOptions {
  blobs: Map<string, Buffer> | ((digest: string) => Buffer | undefined)
  auth?: BlobAuth
}

export interface BlobServer {
  url: string
  close(): Promise<void>
  /** Requests received so far (any path, any outcome). */
  requests(): number
}

const DIGEST = /^sha256:[a-f0-9]{64}$/

/**
 * The digest a path names, or undefined. Three shapes:
 * /blobs/<digest>; /v2/<namespace...>/<repo>/blobs/<digest> (registry);
 * /<bucket>/<key> with the key ending in sha256/<2 hex>/<hex> (Quay's storage path on S3).
 */
export function digestFromPath(pathname: string): string | undefined {
  const path = decodeURIComponent(pathname)
  let m = /^\/blobs\/([^/]+)$/.exec(path) ?? /^\/v2\/(?:[^/]+\/)+blobs\/([^/]+)$/.exec(path)
  if (m) return DIGEST.test(m[1] as string) ? m[1] : undefined
  m = /^\/[^/]+\/(?:.+\/)?sha256\/([a-f0-9]{2})\/([a-f0-9]{64})$/.exec(path)
  if (m && (m[2] as string).startsWith(m[1] as string)) return `sha256:${m[2]}`
  return undefined
}

function refusal(auth: BlobAuth, req: IncomingMessage): string | null {
  if (auth.kind === 'none') return null
  if (auth.kind === 'bearer') {
    return req.headers.authorization === `Bearer ${auth.token}` ? null : 'missing or wrong bearer token'
  }
  return auth.verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
}

export async function startBlobServer(opts: BlobServerOptions): Promise<BlobServer> {
  const auth = opts.auth ?? { kind: 'none' }
  const lookup =
    typeof opts.blobs === 'function' ? opts.blobs : (d: string) => (opts.blobs as Map<string, Buffer>).get(d)
  let count = 0
  const text = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    })
    res.end(body)
  }
  const server = createServer((req, res) => {
    count++
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed\n')
    const url = new URL(req.url ?? '/', 'http://blobs.invalid')
    const digest = digestFromPath(url.pathname)
    if (!digest) return text(res, 404, 'not found\n')
    const reason = refusal(auth, req)
    if (reason !== null) return text(res, 403, `access denied: ${reason}\n`)
    const blob = lookup(digest)
    if (!blob) return text(res, 404, 'blob unknown\n')
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': blob.length,
      'Docker-Content-Digest': digest,
      Etag: `"${digest}"`,
    })
    res.end(req.method === 'HEAD' ? undefined : blob)
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
