// Is the canary URL production in another spelling? The canary is written to (POST, DELETE), so the refusal must
// see through `localhost` against `127.0.0.1`, a trailing slash and a default port, not compare strings.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'

/** The address an HTTP client connects to, and the path prefix the Clair API sits under. */
interface Endpoint {
  host: string
  port: number
  path: string
}

function endpoint(url: string): Endpoint {
  const u = new URL(url)
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
  // URL lower-cases the host; a fully qualified name's trailing dot names the same host.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  return { host, port, path: u.pathname.replace(/\/+$/, '') }
}

async function addresses(host: string): Promise<Set<string>> {
  if (isIP(host)) return new Set([canonical(host)])
  try {
    return new Set((await lookup(host, { all: true })).map((a) => canonical(a.address)))
  } catch {
    return new Set()
  }
}

/** One spelling per address: ::ffff:127.0.0.1 is 127.0.0.1, and every loopback address is one machine. */
function canonical(address: string): string {
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  const mapped = hex
    ? [
        parseInt(hex[1]!, 16) >> 8,
        parseInt(hex[1]!, 16) & 255,
        parseInt(hex[2]!, 16) >> 8,
        parseInt(hex[2]!, 16) & 255,
      ].join('.')
    : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const v4 = mapped ?? address
  if (/^127\./.test(v4) || v4 === '::1') return 'loopback'
  return v4.toLowerCase()
}

/**
 * True when both URLs reach the same server: the same port and path prefix, and the same host name or, when
 * either side names its host by address or both resolve only to loopback, an address in common. Two different
 * names on one address are taken as two servers: name-based virtual hosts (one ingress for both) are common.
 */
export async function sameServer(a: string, b: string): Promise<boolean> {
  const x = endpoint(a)
  const y = endpoint(b)
  if (x.port !== y.port || x.path !== y.path) return false
  if (x.host === y.host) return true
  const [ax, ay] = await Promise.all([addresses(x.host), addresses(y.host)])
  const shared = [...ax].some((address) => ay.has(address))
  if (!shared) return false
  const loopbackOnly = (s: Set<string>) => s.size > 0 && [...s].every((address) => address === 'loopback')
  return isIP(x.host) !== 0 || isIP(y.host) !== 0 || (loopbackOnly(ax) && loopbackOnly(ay))
}
