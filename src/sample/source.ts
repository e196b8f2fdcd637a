// The sample stage: manifests from a JSONL file or from the Quay database, and their secret-free copy for
// sample.jsonl (layer URIs lose query strings and credentials: signed URLs never reach an artifact).
import { readManifestsJsonl } from './jsonl.ts'
import { redactManifest } from '../quay/uris.ts'
import type { Config } from '../config/types.ts'
import type { Manifest } from '../clair/types.ts'
import type { RunInfo, SampledManifest } from '../rundir/types.ts'

export interface DrawnSample {
  sample: SampledManifest[]
  info: Partial<RunInfo['sample']>
  /** Signs a manifest's layer URIs again (Quay DB samples); JSONL manifests are sent as given. */
  refresh?: (manifest: Manifest) => Promise<Manifest>
}

export async function drawSample(
  config: Config,
  log: { info(line: string): void },
  deps: { productionIndexState?: () => Promise<string | undefined> } = {},
): Promise<DrawnSample> {
  if (config.source.kind === 'jsonl') {
    const { sample, available } = await readManifestsJsonl(config.source.path, {
      size: config.sampleSize,
      seed: config.seed,
    })
    if (available > sample.length)
      log.info(`sample: ${sample.length} of ${available} manifests in the file (seeded)`)
    return { sample, info: { source: 'jsonl', drawn: sample.length } }
  }
  const { sampleFromQuay } = await import('./quay.ts')
  return sampleFromQuay(config, log, deps)
}

export function redactSample(sample: SampledManifest[]): SampledManifest[] {
  return sample.map((entry) => ({ ...entry, manifest: redactManifest(entry.manifest) }))
}
