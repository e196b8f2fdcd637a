// The one check of a URL input: http(s), no credentials (URLs are logged), no query or fragment.
import { UserError } from '../errors.ts'

/** The URL with a trailing '/', or undefined when not given and not required. */
export function httpUrl(
  name: string,
  value: string,
  required: boolean,
  example = 'e.g. https://clair.example:6060',
): string | undefined {
  if (!value) {
    if (required) throw new UserError(`input ${name} is required: the base URL of a Clair API, ${example}`)
    return undefined
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // The value is not repeated: it may hold credentials.
    throw new UserError(
      /^https?:\/\//i.test(value)
        ? `input ${name}: not a valid URL (check the host name, and that the port is 1 to 65535), ${example}`
        : `input ${name}: expected an http(s) URL with a scheme, ${example}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError(
      `input ${name}: expected an http or https URL, got scheme ${url.protocol.replace(':', '')}`,
    )
  if (url.username || url.password)
    throw new UserError(
      `input ${name}: credentials in the URL are not allowed${/^(canary|production)-/.test(name) ? '; use the psk input' : ' (the URL is logged)'}`,
    )
  if (url.port === '0')
    throw new UserError(`input ${name}: port 0 is no server's port; expected 1 to 65535, ${example}`)
  if (url.search || url.hash)
    throw new UserError(`input ${name}: expected a base URL without query or fragment`)
  return url.toString().replace(/\/?$/, '/')
}
