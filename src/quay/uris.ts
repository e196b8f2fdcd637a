// Fresh layer URIs for Clair to fetch blobs from. Production's URIs expire (600 s S3 presign, 60 s
// registry JWT) and are stored nowhere, so the canary has to make its own (FACTS 4.1, 5.1, 5.2).
import type { Manifest } from '../clair/types.ts'
import { redactUri } from '../clair/redact.ts'
import { UserError } from '../errors.ts'
import type { ManifestOrigin } from '../rundir/types.ts'
import type { LayerUriOptions, RegistryOptions, S3Options } from '../config/types.ts'

export interface LayerBlob {
  digest: string
  casPath: boolean
  uuid: string
  namespace: string
  repository: string
}

export interface LayerUri {
  uri: string
  headers?: Record<string, string[]>
}

export interface LayerUriBuilder {
  uri(blob: LayerBlob): Promise<LayerUri>
}

/** Quay's storage path of a blob: sha256/<2 hex>/<hex> (cas_path) or the legacy sharedimages/<uuid>/layer. */
export function blobStoragePath(blob: { digest: string; casPath: boolean; uuid: string }): string {
  if (!blob.casPath) return `sharedimages/${blob.uuid}/layer`
  const [algorithm, hex] = blob.digest.split(':', 2)
  if (!algorithm || !hex) throw new Error(`not a digest: ${blob.digest}`)
  return `${algorithm.replace(/[+.]/g, '/')}/${hex.slice(0, 2).padStart(2, '0')}/${hex}`
}

/** The manifest as sample.jsonl stores it: redacted URIs, and no headers but Accept (tokens stay out). */
export function redactManifest(manifest: Manifest): Manifest {
  return {
    hash: manifest.hash,
    layers: manifest.layers.map((layer) => {
      const accept = layer.headers?.['Accept']
      return {
        hash: layer.hash,
        uri: redactUri(layer.uri),
        ...(accept ? { headers: { Accept: accept } } : {}),
      }
    }),
  }
}

/**
 * The manifest with a freshly signed URI (and headers) for every layer whose storage the origin names; foreign
 * layers are sent as they are. Called when the sample is drawn and again before each POST and each retry, as
 * Quay signs its URLs when it builds the request (secscan_v4_model.py, _get_layer_uri via get_direct_download_url).
 */
export async function signLayers(
  manifest: Manifest,
  origin: Pick<ManifestOrigin, 'namespace' | 'repository' | 'storage'> | undefined,
  uris: LayerUriBuilder,
): Promise<Manifest> {
  const storage = origin?.storage
  if (!storage) return manifest
  const layers = await Promise.all(
    manifest.layers.map(async (layer) => {
      const stored = storage[layer.hash]
      if (!stored) return layer
      const { uri, headers } = await uris.uri({
        digest: layer.hash,
        casPath: stored.cas_path,
        uuid: stored.uuid,
        namespace: origin.namespace ?? '',
        repository: origin.repository ?? '',
      })
      const accept = layer.headers?.['Accept']
      return { ...layer, uri, headers: { ...(accept ? { Accept: accept } : {}), ...headers } }
    }),
  )
  return { ...manifest, layers }
}

// ---------------------------------------------------------------------------------------------- S3

let awsSigner: ReturnType<typeof loadSigner> | undefined

/** The AWS SigV4 signer, loaded with the first S3 URL: a run whose layers are not in S3 never loads it. */
async function loadSigner() {
  const [{ Hash }, { HttpRequest }, { SignatureV4 }] = await Promise.all([
    import('@smithy/hash-node'),
    import('@smithy/protocol-http'),
    import('@smithy/signature-v4'),
  ])
  class Sha256 extends Hash {
    constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
      super('sha256', secret)
    }
  }
  return { HttpRequest, SignatureV4, Sha256 }
}

/** The object key of a blob, as Quay's S3 driver computes it. */
export function s3ObjectKey(
  storagePath: string | undefined,
  blob: { digest: string; casPath: boolean; uuid: string },
): string {
  const prefix = (storagePath ?? '').replace(/^\/+/, '').replace(/\/+$/, '')
  const path = blobStoragePath(blob)
  return prefix ? `${prefix}/${path}` : path
}

function s3Location(
  opts: S3Options,
  key: string,
): { protocol: string; hostname: string; port?: number; path: string } {
  const encodedKey = key.split('/').map(encodeRfc3986).join('/')
  if (opts.endpoint) {
    const url = new URL(opts.endpoint)
    const base = url.pathname.replace(/\/+$/, '')
    return {
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: `${base}/${encodeRfc3986(opts.bucket)}/${encodedKey}`,
    }
  }
  // us-east-1 keeps the global endpoint, as boto3 and AWS's own presign examples do.
  const host = opts.region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${opts.region}.amazonaws.com`
  return { protocol: 'https:', hostname: `${opts.bucket}.${host}`, path: `/${encodedKey}` }
}

/** A SigV4 query-presigned GET for one object (what boto3's generate_presigned_url gives Quay). */
export async function presignS3Get(
  opts: S3Options,
  key: string,
  signingDate: Date = new Date(),
): Promise<string> {
  const location = s3Location(opts, key)
  const host = location.port ? `${location.hostname}:${location.port}` : location.hostname
  const { HttpRequest, SignatureV4, Sha256 } = await (awsSigner ??= loadSigner())
  const sigv4 = new SignatureV4({
    credentials: {
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey.reveal(),
      ...(opts.sessionToken ? { sessionToken: opts.sessionToken.reveal() } : {}),
    },
    region: opts.region,
    service: 's3',
    sha256: Sha256,
    // S3 keys are encoded once, not twice like other services.
    uriEscapePath: false,
    applyChecksum: false,
  })
  const request = new HttpRequest({
    method: 'GET',
    protocol: location.protocol,
    hostname: location.hostname,
    ...(location.port ? { port: location.port } : {}),
    path: location.path,
    query: {},
    headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  })
  const noPayloadHeader = new Set(['x-amz-content-sha256'])
  const signed = await sigv4.presign(request, {
    expiresIn: opts.expiresIn,
    signingDate,
    unsignableHeaders: noPayloadHeader,
    unhoistableHeaders: noPayloadHeader,
  })
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((item) => `${encodeRfc3986(k)}=${encodeRfc3986(item ?? '')}`),
    )
    .join('&')
  return `${location.protocol}//${host}${location.path}?${query}`
}

export function s3UriBuilder(opts: S3Options, now: () => Date = () => new Date()): LayerUriBuilder {
  return {
    async uri(blob) {
      return { uri: await presignS3Get(opts, s3ObjectKey(opts.storagePath, blob), now()) }
    },
  }
}

export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

// ---------------------------------------------------------------------------------------- registry

type Fetch = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>

/** Quay's registry endpoint with a pull token per repository (what Quay does with local storage). */
export function registryUriBuilder(
  opts: RegistryOptions,
  deps: { fetch?: Fetch; now?: () => number } = {},
): LayerUriBuilder {
  const base = opts.url.replace(/\/+$/, '')
  // Quay's token service is its server's host name.
  const service = new URL(base).host
  const doFetch: Fetch = deps.fetch ?? ((url, init) => fetch(url, init))
  const now = deps.now ?? Date.now
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>()

  async function fetchToken(repo: string): Promise<{ token: string; expiresAt: number }> {
    const url = `${base}/v2/auth?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(`repository:${repo}:pull`)}`
    const basic = Buffer.from(`${opts.username ?? ''}:${opts.password?.reveal() ?? ''}`).toString('base64')
    const res = await doFetch(url, {
      headers: { Authorization: `Basic ${basic}` },
      signal: AbortSignal.timeout(30_000),
    })
    if (res.status === 401 || res.status === 403)
      throw new UserError(
        `the registry at ${redactUri(base)} refused the robot credentials of ${opts.username ?? '(none)'} for a sampled repository (HTTP ${res.status}): check registry-username and registry-password, and that the robot can pull every repository the sample draws from`,
      )
    if (!res.ok)
      throw new Error(
        `token endpoint ${redactUri(base)}/v2/auth answered HTTP ${res.status} for a sampled repository`,
      )
    const body = (await res.json()) as { token?: unknown; access_token?: unknown; expires_in?: unknown }
    const token = typeof body.token === 'string' ? body.token : body.access_token
    if (typeof token !== 'string' || token === '')
      throw new Error('token endpoint gave no token for a sampled repository')
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60
    // Renew well before expiry: Clair fetches the layer some time after we hand it the header.
    return { token, expiresAt: now() + (lifetime * 1000) / 2 }
  }

  async function tokenFor(repo: string): Promise<string> {
    if (opts.token) return opts.token.reveal()
    const cached = tokens.get(repo)
    if (cached) {
      const entry = await cached.catch(() => undefined)
      if (entry && entry.expiresAt > now()) return entry.token
    }
    const fresh = fetchToken(repo)
    tokens.set(repo, fresh)
    fresh.catch(() => tokens.delete(repo))
    return (await fresh).token
  }

  return {
    async uri(blob) {
      requireNames(blob, 'layer-uri-mode registry')
      const repo = `${blob.namespace}/${blob.repository}`
      const token = await tokenFor(repo)
      return {
        uri: `${base}/v2/${encodePath(blob.namespace)}/${encodePath(blob.repository)}/blobs/${blob.digest}`,
        headers: { Authorization: [`Bearer ${token}`] },
      }
    },
  }
}

/** A sample written without repository names (publish-repository-names off) can be signed again in s3 mode only. */
function requireNames(blob: LayerBlob, what: string): void {
  if (blob.namespace && blob.repository) return
  throw new UserError(
    `${what} needs the repository of layer ${blob.digest}, and its sample line has none (written without publish-repository-names): sign it in layer-uri-mode s3, or sample again`,
  )
}

function encodePath(segment: string): string {
  return segment.split('/').map(encodeURIComponent).join('/')
}

// ---------------------------------------------------------------------------------------- template

/** `{digest}`, `{hex}`, `{namespace}`, `{repository}` (and `{path}`, Quay's storage path) in a URL. */
export function templateUriBuilder(template: string): LayerUriBuilder {
  const named = /\{(namespace|repository)\}/.test(template)
  return {
    // async so that requireNames's throw reaches the caller as a rejection, as the other builders' errors do.
    // eslint-disable-next-line @typescript-eslint/require-await
    async uri(blob) {
      if (named) requireNames(blob, 'uri-template')
      const hex = blob.digest.split(':', 2)[1] ?? ''
      const values: Record<string, string> = {
        digest: blob.digest,
        hex,
        namespace: encodePath(blob.namespace),
        repository: encodePath(blob.repository),
        path: blobStoragePath(blob),
      }
      return {
        uri: template.replace(
          /\{(digest|hex|namespace|repository|path)\}/g,
          (_, name: string) => values[name] ?? '',
        ),
      }
    },
  }
}

// ---------------------------------------------------------------------------------------- builder

export function createLayerUriBuilder(
  opts: LayerUriOptions,
  deps: { fetch?: Fetch; now?: () => Date } = {},
): LayerUriBuilder {
  switch (opts.mode) {
    case 's3':
      return s3UriBuilder(opts.s3, deps.now)
    case 'registry':
      return registryUriBuilder(opts.registry, {
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.now ? { now: () => deps.now!().getTime() } : {}),
      })
    case 'template':
      return templateUriBuilder(opts.template)
  }
}
