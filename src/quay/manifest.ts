// Building the Clair Manifest from a Quay manifest row as Quay does (FACTS 4.1, 4.2): layer order from
// manifest_bytes, Quay's empty-layer entries from the config blob's history, blobs from manifestblob.
import type { Manifest, ManifestLayer } from '../clair/types.ts'
import type { LayerStorage } from '../rundir/types.ts'
import { signLayers, type LayerUriBuilder } from './uris.ts'

/** Quay emits this shared empty tar for every `empty_layer` history entry (image/docker/schema2). */
export const EMPTY_LAYER_DIGEST = 'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4'

export const MEDIA_TYPES = {
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  schema2: 'application/vnd.docker.distribution.manifest.v2+json',
  oci: 'application/vnd.oci.image.manifest.v1+json',
  schema2List: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const

export const IMAGE_MEDIA_TYPES: readonly string[] = [
  MEDIA_TYPES.schema2,
  MEDIA_TYPES.oci,
  MEDIA_TYPES.schema1,
  MEDIA_TYPES.schema1Signed,
]

const LIST_MEDIA_TYPES: readonly string[] = [MEDIA_TYPES.schema2List, MEDIA_TYPES.ociIndex]

/** Quay's CONTAINER_LAYER_TYPES: OCI image layer types plus the Docker schema2 layer type. */
const CONTAINER_LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
])

/** Foreign layers, by media type (image/docker/schema2/manifest.py, image/oci/__init__.py): Quay sends urls[0]. */
const REMOTE_LAYER_TYPES: Record<'schema2' | 'oci', ReadonlySet<string>> = {
  schema2: new Set(['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip']),
  oci: new Set([
    'application/vnd.oci.image.layer.nondistributable.v1.tar',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ]),
}

/** An OCI manifest is an image, with a config history to expand, only with this config type (is_image_manifest). */
export const OCI_IMAGE_CONFIG_TYPE = 'application/vnd.oci.image.config.v1+json'

/** Why a row is not sampled; counted in the sample summary, never fatal. */
export type SkipReason =
  | 'manifest_list'
  | 'unknown_media_type'
  | 'not_json'
  | 'malformed'
  | 'not_container'
  | 'no_layers'
  | 'missing_blob'
  | 'duplicate_digest'
  | 'stale'
  | 'uri_failed'

export type ManifestKind = 'schema1' | 'schema2' | 'oci'

export interface ParsedLayer {
  digest: string
  /** Foreign layers: Quay sends urls[0] with no extra headers. */
  urls?: string[]
}

export interface ParsedManifest {
  kind: ManifestKind
  configDigest?: string
  /** Layers in manifest order, base first. */
  layers: ParsedLayer[]
  /** False for an OCI manifest whose config is not an OCI image config: Quay takes its layers as they are. */
  imageConfig?: boolean
  /** OCI annotations, when present (a cheap distribution hint). */
  annotations?: Record<string, string>
  /** schema1 only: the v1Compatibility strings (they carry the build history). */
  history?: string[]
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: SkipReason; detail: string }

const DIGEST = /^sha256:[a-f0-9]{64}$/

function skip<T>(reason: SkipReason, detail: string): Parsed<T> {
  return { ok: false, reason, detail }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses manifest_bytes of a row whose mediatype.name is `mediaType`, skipping what Quay skips. */
export function parseManifestBytes(mediaType: string, bytes: string): Parsed<ParsedManifest> {
  if (LIST_MEDIA_TYPES.includes(mediaType)) return skip('manifest_list', mediaType)
  if (!IMAGE_MEDIA_TYPES.includes(mediaType)) return skip('unknown_media_type', mediaType)
  let doc: unknown
  try {
    doc = JSON.parse(bytes)
  } catch {
    return skip('not_json', 'manifest_bytes is not JSON')
  }
  if (!isRecord(doc)) return skip('malformed', 'manifest_bytes is not a JSON object')

  if (mediaType === MEDIA_TYPES.schema1 || mediaType === MEDIA_TYPES.schema1Signed) {
    const fsLayers = doc['fsLayers']
    if (!Array.isArray(fsLayers)) return skip('malformed', 'schema1 manifest without fsLayers')
    if (fsLayers.length === 0) return skip('no_layers', 'schema1 manifest with no fsLayers')
    const layers: ParsedLayer[] = []
    // fsLayers run leaf -> base; Clair wants base first.
    for (const entry of [...(fsLayers as unknown[])].reverse()) {
      const digest = isRecord(entry) ? entry['blobSum'] : undefined
      if (typeof digest !== 'string' || !DIGEST.test(digest))
        return skip('malformed', 'schema1 blobSum is not a sha256 digest')
      layers.push({ digest })
    }
    const history = Array.isArray(doc['history'])
      ? doc['history'].flatMap((h) =>
          isRecord(h) && typeof h['v1Compatibility'] === 'string' ? [h['v1Compatibility']] : [],
        )
      : undefined
    return { ok: true, value: { kind: 'schema1', layers, ...(history ? { history } : {}) } }
  }

  const kind: ManifestKind = mediaType === MEDIA_TYPES.oci ? 'oci' : 'schema2'
  const config = doc['config']
  const configDigest = isRecord(config) ? config['digest'] : undefined
  if (typeof configDigest !== 'string' || !DIGEST.test(configDigest))
    return skip('malformed', `${kind} manifest without a config digest`)
  const rawLayers = doc['layers']
  if (!Array.isArray(rawLayers)) return skip('malformed', `${kind} manifest without layers`)
  if (rawLayers.length === 0) return skip('no_layers', `${kind} manifest with no layers`)
  const layers: ParsedLayer[] = []
  for (const entry of rawLayers) {
    if (!isRecord(entry)) return skip('malformed', 'a layer is not an object')
    const digest = entry['digest']
    if (typeof digest !== 'string' || !DIGEST.test(digest))
      return skip('malformed', 'a layer digest is not a sha256 digest')
    // Docker schema2 layers are always container layers for Quay; OCI layers must have a layer media type.
    if (kind === 'oci' && !CONTAINER_LAYER_TYPES.has(String(entry['mediaType'])))
      return skip('not_container', `layer media type ${String(entry['mediaType'])}`)
    // Foreign by media type, as Quay decides; a foreign layer without urls is one Quay refuses.
    if (!REMOTE_LAYER_TYPES[kind].has(String(entry['mediaType']))) {
      layers.push({ digest })
      continue
    }
    const urls = Array.isArray(entry['urls'])
      ? entry['urls'].filter((u): u is string => typeof u === 'string')
      : []
    if (urls.length === 0) return skip('malformed', 'a foreign layer without urls')
    layers.push({ digest, urls })
  }
  const configType = isRecord(config) ? config['mediaType'] : undefined
  const annotations = isRecord(doc['annotations'])
    ? Object.fromEntries(
        Object.entries(doc['annotations']).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : undefined
  return {
    ok: true,
    value: {
      kind,
      configDigest,
      layers,
      ...(kind === 'oci' && configType !== OCI_IMAGE_CONFIG_TYPE ? { imageConfig: false } : {}),
      ...(annotations ? { annotations } : {}),
    },
  }
}

/**
 * Quay's layer list for schema2/OCI (_manifest_image_layers in image/docker/schema2/manifest.py and
 * image/oci/manifest.py): one entry per config history entry, the shared empty tar for each `empty_layer` one.
 * Without a history it is just layers[]. Quay refuses less history than layers, or a non-empty entry past the last
 * layer (undefined here); layers left over after the history are dropped, as Quay's loop never reaches them.
 */
export function layersFromConfigHistory(
  parsed: ParsedManifest,
  configBytes: Uint8Array | string,
): ParsedLayer[] | undefined {
  let config: unknown
  try {
    config = JSON.parse(
      typeof configBytes === 'string' ? configBytes : Buffer.from(configBytes).toString('utf8'),
    )
  } catch {
    return undefined
  }
  if (!isRecord(config)) return undefined
  const history = config['history']
  if (!Array.isArray(history) || history.length === 0) return parsed.layers
  if (history.length < parsed.layers.length) return undefined
  const out: ParsedLayer[] = []
  let next = 0
  for (const entry of history) {
    if (isRecord(entry) && entry['empty_layer'] === true) {
      out.push({ digest: EMPTY_LAYER_DIGEST })
      continue
    }
    const layer = parsed.layers[next++]
    if (!layer) return undefined
    out.push(layer)
  }
  return out
}

/** A stored blob, as imagestorage describes it. */
export interface BlobRef {
  digest: string
  casPath: boolean
  uuid: string
  size?: number
}

export interface BuildInput {
  digest: string
  namespace: string
  repository: string
  /** The Quay layer list (after any config-history expansion). */
  layers: ParsedLayer[]
  /** This manifest's blobs (manifestblob -> imagestorage) by content_checksum. */
  blobs: ReadonlyMap<string, BlobRef>
  /** The shared empty-layer blob, looked up globally as Quay does. */
  emptyLayer?: BlobRef
}

const ACCEPT = { Accept: ['application/gzip'] }

/**
 * The Clair Manifest for one Quay manifest, with freshly signed layer URIs, and the storage identity of its
 * blobs (so the URIs can be signed again before each POST, from the run or from a sample file).
 */
export async function buildClairManifest(
  input: BuildInput,
  uris: LayerUriBuilder,
): Promise<Parsed<{ manifest: Manifest; storage: Record<string, LayerStorage> }>> {
  const layers: ManifestLayer[] = []
  const storage: Record<string, LayerStorage> = {}
  for (const layer of input.layers) {
    if (layer.urls?.[0]) {
      layers.push({ hash: layer.digest, uri: layer.urls[0], headers: { ...ACCEPT } })
      continue
    }
    const blob =
      input.blobs.get(layer.digest) ?? (layer.digest === EMPTY_LAYER_DIGEST ? input.emptyLayer : undefined)
    if (!blob) return skip('missing_blob', `layer ${layer.digest} has no imagestorage row`)
    storage[layer.digest] = { cas_path: blob.casPath, uuid: blob.uuid }
    layers.push({ hash: layer.digest, uri: '', headers: { ...ACCEPT } })
  }
  const manifest = await signLayers(
    { hash: input.digest, layers },
    { namespace: input.namespace, repository: input.repository, storage },
    uris,
  )
  return { ok: true, value: { manifest, storage } }
}
