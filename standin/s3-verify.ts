// The S3 side of a presigned GET, for the stand-in blob server: checks a query-presigned SigV4 request the way
// S3 does. Only tests and the demo need it, so it lives outside src/ and out of the bundle.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Secret } from '../src/secret.ts'
import { encodeRfc3986 } from '../src/quay/uris.ts'

/** The part of an HTTP request the verifier reads; node's IncomingMessage fits. */
export interface PresignedRequest {
  method?: string
  /** Path and query, as in IncomingMessage.url. */
  url?: string
  headers: Record<string, string | string[] | undefined>
}

export interface PresignVerifierOptions {
  accessKeyId: string
  secretAccessKey: Secret<string> | string
  region: string
  service?: string
  now?: () => Date
}

/**
 * Checks a query-presigned SigV4 request the way S3 does: recomputes the signature with the known
 * secret (independently of the signer above) and checks the expiry. Returns null when valid, else why not.
 */
export function s3PresignVerifier(opts: PresignVerifierOptions): (req: PresignedRequest) => string | null {
  const secret =
    typeof opts.secretAccessKey === 'string' ? opts.secretAccessKey : opts.secretAccessKey.reveal()
  const service = opts.service ?? 's3'
  const now = opts.now ?? (() => new Date())
  return (req) => {
    const raw = req.url ?? '/'
    const q = raw.indexOf('?')
    const path = q < 0 ? raw : raw.slice(0, q)
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))
    const get = (name: string) => params.get(name) ?? undefined
    const algorithm = get('X-Amz-Algorithm')
    const credential = get('X-Amz-Credential')
    const date = get('X-Amz-Date')
    const expires = get('X-Amz-Expires')
    const signedHeaders = get('X-Amz-SignedHeaders')
    const signature = get('X-Amz-Signature')
    if (!algorithm || !credential || !date || !expires || !signedHeaders || !signature)
      return 'not a presigned URL'
    if (algorithm !== 'AWS4-HMAC-SHA256') return `unsupported algorithm ${algorithm}`
    const [keyId, day, region, svc, terminator] = credential.split('/')
    if (keyId !== opts.accessKeyId) return 'unknown access key'
    if (!day || region !== opts.region || svc !== service || terminator !== 'aws4_request')
      return 'credential scope does not match'
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date)
    if (!m || !date.startsWith(day)) return 'bad X-Amz-Date'
    const signedAt = Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    )
    const lifetime = Number(expires)
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 604800) return 'bad X-Amz-Expires'
    if (now().getTime() > signedAt + lifetime * 1000) return 'expired'
    if (now().getTime() < signedAt - 15 * 60 * 1000) return 'signed in the future'

    const headerNames = signedHeaders.split(';')
    const canonicalHeaders = headerNames
      .map((name) => {
        const value = req.headers[name]
        const joined = Array.isArray(value) ? value.join(',') : (value ?? '')
        return `${name}:${joined.trim().replace(/\s+/g, ' ')}\n`
      })
      .join('')
    const canonicalQuery = [...params.entries()]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    const canonicalRequest = [
      (req.method ?? 'GET').toUpperCase(),
      path,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      'UNSIGNED-PAYLOAD',
    ].join('\n')
    const scope = `${day}/${region}/${service}/aws4_request`
    const stringToSign = [
      algorithm,
      date,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n')
    let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(day).digest()
    for (const part of [region, service, 'aws4_request'])
      key = createHmac('sha256', key).update(part).digest()
    const expected = createHmac('sha256', key).update(stringToSign).digest()
    const given = Buffer.from(signature, 'hex')
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return 'signature does not match'
    return null
  }
}
