// The JSONL manifest source: one Clair manifest per line, either bare ({"hash","layers"}) or as sample.jsonl
// writes it ({"manifest","origin"}). Validated line by line so an error names the line.
import { UserError } from '../errors.ts'
import { readJsonl } from '../rundir/io.ts'
import { seededSubset } from '../seeded.ts'
import type { Manifest, ManifestLayer } from '../clair/types.ts'
import type { ManifestOrigin, SampledManifest } from '../rundir/types.ts'

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/
const HEADER_NAME = /^[a-zA-Z0-9\-_]+$/

export async function readManifestsJsonl(
  path: string,
  opts: { size: number; seed: string },
): Promise<{
  sample: SampledManifest[]
  available: number
}> {
  const all: SampledManifest[] = []
  const seen = new Set<string>()
  try {
    for await (const [line, value] of readJsonl(path)) {
      const entry = toSampledManifest(value, `${path}:${line}`)
      // Clair is keyed by digest: a second copy would only hit its cache.
      if (seen.has(entry.manifest.hash)) continue
      seen.add(entry.manifest.hash)
      all.push(entry)
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(
        `input manifests: ${path} does not exist (expected a JSONL file of Clair manifests)`,
      )
    if (error instanceof SyntaxError) throw new UserError(`input manifests: ${error.message}`)
    throw error
  }
  if (all.length === 0) throw new UserError(`input manifests: ${path} holds no manifests`)
  return { sample: seededSubset(all, opts.size, opts.seed), available: all.length }
}

export function toSampledManifest(value: unknown, where: string): SampledManifest {
  if (!isObject(value)) throw new UserError(`${where}: expected a JSON object (a Clair manifest)`)
  const wrapped = isObject(value['manifest'])
  const manifest = parseManifest(wrapped ? value['manifest'] : value, where)
  const origin = wrapped && isObject(value['origin']) ? (value['origin'] as ManifestOrigin) : undefined
  if (origin?.storage !== undefined) checkStorage(origin, where)
  return origin ? { manifest, origin } : { manifest }
}

/** origin.storage is what signing a layer URL again reads: each entry must name a Quay blob. */
function checkStorage(origin: ManifestOrigin, where: string): void {
  const storage: unknown = origin.storage
  const ok =
    isObject(storage) &&
    Object.values(storage).every(
      (s) => isObject(s) && typeof s['cas_path'] === 'boolean' && typeof s['uuid'] === 'string',
    ) &&
    ['string', 'undefined'].includes(typeof origin.namespace) &&
    ['string', 'undefined'].includes(typeof origin.repository)
  if (!ok)
    throw new UserError(
      `${where}: origin.storage must map layer digests to {"cas_path", "uuid"} (origin.namespace and origin.repository, when present, are strings)`,
    )
}

export function parseManifest(value: unknown, where: string): Manifest {
  if (!isObject(value)) throw new UserError(`${where}: expected a Clair manifest object with hash and layers`)
  const hash = value['hash']
  if (typeof hash !== 'string' || !DIGEST.test(hash))
    throw new UserError(
      `${where}: hash must be a digest like sha256:<hex>, got ${JSON.stringify(hash)?.slice(0, 80)}`,
    )
  const layers = value['layers']
  if (!Array.isArray(layers) || layers.length === 0)
    throw new UserError(
      `${where}: layers must be a non-empty array (Clair answers 400 "bogus manifest" otherwise)`,
    )
  return { hash, layers: layers.map((layer, i) => parseLayer(layer, `${where}: layers[${i}]`)) }
}

function parseLayer(value: unknown, where: string): ManifestLayer {
  if (!isObject(value)) throw new UserError(`${where}: expected an object with hash and uri`)
  const { hash, uri, headers, media_type } = value
  if (typeof hash !== 'string' || !DIGEST.test(hash))
    throw new UserError(
      `${where}.hash must be a digest like sha256:<hex>, got ${JSON.stringify(hash)?.slice(0, 80)}`,
    )
  if (typeof uri !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    throw new UserError(`${where}.uri must be an absolute URL with a scheme`)
  const layer: ManifestLayer = { hash, uri }
  if (headers !== undefined && headers !== null) {
    if (!isObject(headers)) throw new UserError(`${where}.headers must map header names to arrays of strings`)
    const out: Record<string, string[]> = {}
    for (const [name, values] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name))
        throw new UserError(`${where}.headers: ${JSON.stringify(name)} is not a valid header name`)
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string'))
        throw new UserError(`${where}.headers.${name} must be an array of strings`)
      out[name] = values
    }
    layer.headers = out
  }
  if (typeof media_type === 'string') layer.media_type = media_type
  return layer
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
