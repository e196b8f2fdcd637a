// Clair's error texts embed the layer URLs it failed to fetch, and those carry signatures (S3 presigned
// query strings, userinfo). Anything we show from a response goes through here first.
import { truncateMiddle } from '../format.ts'

const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>`]+/g
// Defence in depth for signatures outside a URL we recognised (a cut-off URL, a form-encoded fragment).
const SIGNED_PARAM =
  /\b(X-Amz-[A-Za-z-]+|X-Goog-[A-Za-z-]+|Signature|Expires|Policy|Key-Pair-Id|GoogleAccessId|AWSAccessKeyId|sig|se|sp|sv|token|access_token)=[^&\s"'<>]*/gi
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g
/** Room for the request, Clair's whole error chain and a layer URL it quotes (without its query). */
const MAX_MESSAGE = 600

/** A URL without userinfo, query string or fragment. The one redaction of URLs in the project. */
export function redactUri(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    parsed.search = ''
    parsed.hash = ''
    return parsed.toString()
  } catch {
    return url.replace(/[?#].*$/s, '').replace(/\/\/[^/@]*@/, '//')
  }
}

/** Text without secrets, otherwise as it was: URLs lose query, fragment and userinfo; tokens go. */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_IN_TEXT, (url) => redactUri(url))
    .replace(SIGNED_PARAM, '$1=[redacted]')
    .replace(BEARER, '$1 [redacted]')
}

/**
 * Text made safe to log and short: redactSecrets, on one line, at most 600 characters. A longer text loses its
 * middle, never its end: that is where Clair's wrapped errors say what went wrong.
 */
export function redactText(text: string): string {
  return truncateMiddle(redactSecrets(text).replace(/\s+/g, ' ').trim(), MAX_MESSAGE)
}

/** The forms a secret takes in text we store or show: raw, JSON-escaped, URL-encoded, base64 and base64url. */
export function secretEncodings(value: string): string[] {
  const forms = new Set([
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
  ])
  return [...forms].filter((f) => f.length > 0)
}

/**
 * Replaces every known secret, in every encoding, with "[redacted]". Clair's texts (an index report's err, an
 * error body) can quote anything it was sent; pattern redaction (redactSecrets) cannot know a bare key.
 * Secrets shorter than 4 characters are left alone: they would match everywhere.
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length >= 4).flatMap(secretEncodings))].sort(
    (a, b) => b.length - a.length,
  )
  if (forms.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const form of forms) if (out.includes(form)) out = out.split(form).join('[redacted]')
    return out
  }
}
