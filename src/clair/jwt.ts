// Clair's PSK auth (FACTS 3.1): an HS256 JWT signed with the base64-decoded auth.psk.key, checked for
// `iss` and, when present, `exp`/`iat` with 15 s leeway. Quay mints {iss, exp: now+5min} per request; we
// mint {iss, iat, exp} and reuse the token until shortly before it expires.
import { SignJWT } from 'jose'
import { UserError } from '../errors.ts'
import type { Secret } from '../secret.ts'

/** Clair (and Quay) expect tokens to live at most five minutes. */
export const MAX_LIFETIME_SECONDS = 300
/** Re-mint this long before `exp`, so a token never expires on the wire or in a retry. */
const REFRESH_MARGIN_SECONDS = 30

// Standard alphabet, groups of four, `=` padding only at the end: what Go's base64.StdEncoding accepts
// (Clair decodes auth.psk.key with it). Go also skips \r and \n, so we do too.
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Decode a PSK as Clair does; never echoes the value, only names the input. */
export function decodePsk(base64: string, inputName: string): Uint8Array {
  const text = base64.trim().replace(/[\r\n]/g, '')
  if (text === '')
    throw new UserError(`${inputName}: expected a base64 PSK (Clair's auth.psk.key), got an empty value`)
  if (!STD_BASE64.test(text)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(text)
    const why = bad
      ? `a character outside the standard base64 alphabet at position ${bad.index + 1}`
      : `bad length or padding (${text.length} characters)`
    throw new UserError(
      `${inputName}: expected standard base64 (A-Z a-z 0-9 + / with = padding), found ${why}`,
    )
  }
  return new Uint8Array(Buffer.from(text, 'base64'))
}

export interface PskSignerOptions {
  /** Seconds from `iat` to `exp`; capped at 300. */
  lifetimeSeconds?: number
  /** Wall clock in milliseconds since the epoch (Date.now). */
  now?: () => number
}

/** Mints and caches the bearer token for one Clair target. */
export class PskSigner {
  readonly #key: Secret<Uint8Array>
  readonly #issuer: string
  readonly #lifetime: number
  readonly #now: () => number
  #cached: { token: Promise<string>; exp: number } | undefined

  constructor(key: Secret<Uint8Array>, issuer: string, opts: PskSignerOptions = {}) {
    const lifetime = opts.lifetimeSeconds ?? MAX_LIFETIME_SECONDS
    if (!(lifetime > 0)) throw new Error(`PskSigner: lifetimeSeconds must be positive, got ${lifetime}`)
    this.#key = key
    this.#issuer = issuer
    this.#lifetime = Math.min(Math.floor(lifetime), MAX_LIFETIME_SECONDS)
    this.#now = opts.now ?? Date.now
  }

  /** A valid token; the same one until it is within ~30 s of expiry. Concurrent callers share one mint. */
  token(): Promise<string> {
    const now = Math.floor(this.#now() / 1000)
    // Short lifetimes still get half their life before a re-mint.
    const margin = Math.min(REFRESH_MARGIN_SECONDS, Math.floor(this.#lifetime / 2))
    if (this.#cached && now < this.#cached.exp - margin) return this.#cached.token
    const exp = now + this.#lifetime
    const token = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.#issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.#key.reveal())
    this.#cached = { token, exp }
    // A failed mint must not be cached.
    token.catch(() => {
      if (this.#cached?.token === token) this.#cached = undefined
    })
    return token
  }
}
