// The sampler's output: chosen rows become Clair manifests with fresh layer URIs and their origin, and
// sample.jsonl is written with redacted URIs (no signatures, no tokens).
import type pg from 'pg'
import type { ManifestOrigin, SampledManifest } from '../rundir/types.ts'
import { UserError } from '../errors.ts'
import { writeJsonl } from '../rundir/io.ts'
import {
  buildClairManifest,
  layersFromConfigHistory,
  type BlobRef,
  type ParsedLayer,
  type ParsedManifest,
  type SkipReason,
} from './manifest.ts'
import { count, type ConfigBlobReader, type SampleSummary, type SamplerOptions } from './options.ts'
import { emptyLayerBlob, type LightRow } from './sql.ts'
import { redactManifest, type LayerUriBuilder } from './uris.ts'

/** A drawn row read whole and checked: what the output turns into a manifest. */
export interface Candidate {
  row: LightRow
  parsed: ParsedManifest
  blobs: Map<string, BlobRef>
  stratum: string
  order: number
}

/** The chosen candidates as manifests with fresh layer URIs; rows Quay would refuse or without URIs are counted. */
export async function buildSample(
  pool: pg.Pool,
  chosen: Candidate[],
  opts: SamplerOptions,
  uris: LayerUriBuilder,
  counts: { skipped: Record<string, number>; fallbacks: Record<string, number> },
): Promise<{ sample: SampledManifest[]; strata: Record<string, number> }> {
  const { skipped, fallbacks } = counts
  const empty =
    opts.emptyLayers === 'quay' && chosen.some((c) => c.parsed.kind !== 'schema1')
      ? await emptyLayerBlob(pool)
      : undefined
  const sample: SampledManifest[] = []
  const strata: Record<string, number> = {}
  for (const candidate of chosen) {
    const { row } = candidate
    const layers = await quayLayers(candidate, opts, fallbacks)
    if (!layers) {
      // Quay refuses it too (less history than layers, or history past the last layer): it never indexed it.
      count(skipped, 'malformed' satisfies SkipReason)
      continue
    }
    let built
    try {
      built = await buildClairManifest(
        {
          digest: row.digest,
          namespace: row.namespace,
          repository: row.repository,
          layers,
          blobs: candidate.blobs,
          ...(empty ? { emptyLayer: empty } : {}),
        },
        uris,
      )
    } catch (error) {
      if (error instanceof UserError) throw error
      count(skipped, 'uri_failed' satisfies SkipReason)
      continue
    }
    if (!built.ok) {
      count(skipped, built.reason)
      continue
    }
    count(strata, candidate.stratum)
    const origin: ManifestOrigin = {
      namespace: row.namespace,
      repository: row.repository,
      media_type: row.media_type,
      stratum: candidate.stratum,
      indexer_hash: row.indexer_hash,
      last_indexed: new Date(row.last_indexed_ms).toISOString(),
      manifest_id: row.manifest_id,
      storage: built.value.storage,
    }
    sample.push({ manifest: built.value.manifest, origin })
  }
  return { sample, strata }
}

/**
 * Quay's layer list for a chosen manifest: the config history when it can be read, else layers[]; undefined when
 * the history is one Quay refuses. An OCI manifest whose config is not an OCI image config keeps its layers.
 */
async function quayLayers(
  candidate: Candidate,
  opts: SamplerOptions,
  fallbacks: Record<string, number>,
): Promise<ParsedLayer[] | undefined> {
  const { parsed, row } = candidate
  if (opts.emptyLayers === 'skip' || parsed.kind === 'schema1' || !parsed.configDigest) return parsed.layers
  if (parsed.imageConfig === false) return parsed.layers
  if (!opts.configBlobReader) {
    count(fallbacks, 'no_config_reader')
    return parsed.layers
  }
  const config = candidate.blobs.get(parsed.configDigest)
  if (!config) {
    count(fallbacks, 'config_blob_missing')
    return parsed.layers
  }
  let bytes: Uint8Array | undefined
  try {
    bytes = await opts.configBlobReader({ ...config, namespace: row.namespace, repository: row.repository })
  } catch {
    bytes = undefined
  }
  if (!bytes) {
    count(fallbacks, 'config_unreadable')
    return parsed.layers
  }
  return layersFromConfigHistory(parsed, bytes)
}

/** A config reader that GETs the blob through the same fresh URIs Clair would use. */
export function configReaderFromUris(
  uris: LayerUriBuilder,
  deps: { fetch?: typeof fetch; maxBytes?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): ConfigBlobReader {
  const doFetch = deps.fetch ?? fetch
  const maxBytes = deps.maxBytes ?? 4 * 1024 * 1024
  return async (blob) => {
    const { uri, headers } = await uris.uri(blob)
    const flat: Record<string, string> = {}
    for (const [name, values] of Object.entries(headers ?? {})) flat[name] = values.join(', ')
    const timeout = AbortSignal.timeout(deps.timeoutMs ?? 30_000)
    const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout
    const res = await doFetch(uri, { headers: flat, signal })
    if (!res.ok) return undefined
    const body = new Uint8Array(await res.arrayBuffer())
    return body.length <= maxBytes ? body : undefined
  }
}

/** Writes sample.jsonl with redacted URIs (no signatures, no tokens). */
export async function writeSample(path: string, summary: SampleSummary): Promise<void> {
  await writeJsonl(
    path,
    summary.sample.map((entry) => ({ ...entry, manifest: redactManifest(entry.manifest) })),
  )
}
