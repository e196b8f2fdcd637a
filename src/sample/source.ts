// The sample stage: manifests from a JSONL file or from the Quay database, and their secret-free copy for
// sample.jsonl (layer URIs lose query strings and credentials: signed URLs never reach an artifact).
import { readManifestsJsonl } from './jsonl.ts'
import { createLayerUriBuilder, redactManifest, signLayers } from '../quay/uris.ts'
import { UserError } from '../errors.ts'
import type { Config } from '../config/types.ts'
import type { Logger } from '../log.ts'
import type { Manifest } from '../clair/types.ts'
import type { ManifestDiff, RunInfo, SampledManifest } from '../rundir/types.ts'

export interface DrawnSample {
  sample: SampledManifest[]
  info: Partial<RunInfo['sample']>
  /**
   * Signs a manifest's layer URIs afresh, before each POST and each retry: for Quay DB samples, and for JSONL
   * lines that keep their blobs' storage (what `sample --out` and sample.jsonl write). Other JSONL manifests are
   * sent as given.
   */
  sign?: (entry: SampledManifest) => Promise<Manifest>
}

export async function drawSample(
  config: Config,
  log: Logger,
  deps: {
    productionIndexState?: () => Promise<string | undefined>
    /** Cancels the sample's database query (SIGINT/SIGTERM). */
    signal?: AbortSignal
  } = {},
): Promise<DrawnSample> {
  if (config.source.kind === 'jsonl') {
    const { sample, available } = await readManifestsJsonl(config.source.path, {
      size: config.sampleSize,
      seed: config.seed,
    })
    if (available > sample.length)
      log.info(`sample: ${sample.length} of ${available} manifests in the file (seeded)`)
    const drawn: DrawnSample = { sample, info: { source: 'jsonl', drawn: sample.length } }
    if (!sample.some((entry) => entry.origin?.storage)) return drawn
    // Lines from `sample --out` or a run's sample.jsonl carry unsigned URLs: replaying them needs fresh ones.
    const layers = config.source.layers
    if ('missing' in layers)
      throw new UserError(
        `input manifests: ${config.source.path} holds sampled manifests whose layer URLs must be signed afresh, and ${layers.missing}`,
      )
    const uris = createLayerUriBuilder(layers)
    return { ...drawn, sign: (entry) => signLayers(entry.manifest, entry.origin, uris) }
  }
  const { sampleFromQuay } = await import('./quay.ts')
  return sampleFromQuay(config, log, deps)
}

/**
 * The sample as the run directory keeps it (it is published with it): redacted URIs, and Quay namespace and
 * repository names only with publish-repository-names; otherwise a manifest is named by its digest alone.
 */
export function redactSample(
  sample: SampledManifest[],
  names: boolean,
  labels: ReadonlyMap<string, string> = repositoryLabels(sample, names),
): SampledManifest[] {
  const hide = names ? (text: string) => text : repositoryNameScrubber(sample)
  return sample.map(({ manifest, origin }) => {
    const redacted = redactManifest(manifest)
    if (names || !origin) return { manifest: redacted, ...(origin ? { origin } : {}) }
    const { namespace: _n, repository: _r, ...rest } = origin
    const label = labels.get(manifest.hash)
    return {
      manifest: { ...redacted, layers: redacted.layers.map((l) => ({ ...l, uri: hide(l.uri) })) },
      origin: { ...rest, ...(label ? { repository_label: label } : {}) },
    }
  })
}

/**
 * Each manifest's repository as published files show it: `namespace/repository` with publish-repository-names,
 * else "repository N", numbered by first appearance in the sample. The number groups one repository's manifests
 * within a run (the legs of a sharded run draw the same sample, so they agree) and says nothing about its name.
 * A manifest whose repository the sample does not know has none.
 */
export function repositoryLabels(sample: readonly SampledManifest[], names: boolean): Map<string, string> {
  const numbers = new Map<string, number>()
  const labels = new Map<string, string>()
  for (const { manifest, origin } of sample) {
    if (labels.has(manifest.hash)) continue
    const name =
      origin?.namespace && origin.repository ? `${origin.namespace}/${origin.repository}` : undefined
    // A sample.jsonl written without names keeps the label it was given: replayed, it groups as before.
    const key = name ?? origin?.repository_label
    if (!key) continue
    if (names && name) {
      labels.set(manifest.hash, name)
      continue
    }
    let n = numbers.get(key)
    if (n === undefined) numbers.set(key, (n = numbers.size + 1))
    labels.set(manifest.hash, `repository ${n}`)
  }
  return labels
}

/**
 * Replaces every `namespace/repository` of the sample (as written and as a URL path encodes it) with
 * "(repository)": registry and template layer URLs carry them, and Clair quotes those URLs in its errors.
 */
export function repositoryNameScrubber(sample: readonly SampledManifest[]): (text: string) => string {
  const forms = new Set<string>()
  for (const { origin } of sample) {
    if (!origin?.namespace || !origin.repository) continue
    const name = `${origin.namespace}/${origin.repository}`
    forms.add(name)
    forms.add(name.split('/').map(encodeURIComponent).join('/'))
    forms.add(encodeURIComponent(name))
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length)
  if (sorted.length === 0) return (text) => text
  return (text) => sorted.reduce((t, form) => t.split(form).join('(repository)'), text)
}

/** Each manifest's differences with its repository (ManifestRecord.repository), where one is known. */
export function withRepositories(
  diffs: ManifestDiff[],
  repositoryOf: (digest: string) => string | undefined,
): ManifestDiff[] {
  return diffs.map((d) => {
    const repository = repositoryOf(d.digest)
    return repository ? { digest: d.digest, repository, differences: d.differences } : d
  })
}
