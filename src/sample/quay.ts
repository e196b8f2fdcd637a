// Glue between the Config and the Quay sampler (src/quay): options from the action inputs, a read-only replica
// pool, fresh layer URIs, and the summary run.json records.
import { connectReplica } from '../quay/replica.ts'
import { configReaderFromUris, parseSamplerOptions, sampleManifests, sampleToFile } from '../quay/sampler.ts'
import { createLayerUriBuilder, parseUriOptions, signLayers } from '../quay/uris.ts'
import { UserError } from '../errors.ts'
import { parseBoolean } from '../config/values.ts'
import { INPUTS } from '../config/inputs.ts'
import { Secret } from '../secret.ts'
import type { Config } from '../config/types.ts'
import type { InputReader } from '../config/config.ts'
import type { DrawnSample } from './source.ts'
import type { SampleSummary, SamplerOptions } from '../quay/sampler.ts'
import type { Logger } from '../log.ts'

export interface QuaySampleDeps {
  /** Production's current index state, for current-index-state-only. */
  productionIndexState?: () => Promise<string | undefined>
}

export async function sampleFromQuay(
  config: Config,
  log: Logger,
  deps: QuaySampleDeps = {},
): Promise<DrawnSample> {
  if (config.source.kind !== 'quay-db') throw new Error('internal: sampleFromQuay needs a quay-db source')
  const options = { ...config.source.options, 'sample-size': config.sampleSize, seed: config.seed }
  const sampler = await samplerOptions(options, deps)
  const uris = createLayerUriBuilder(parseUriOptions(config.source.options, process.env))
  if (sampler.emptyLayers === 'quay') sampler.configBlobReader = configReaderFromUris(uris)
  const pool = await connectReplica(config.source.dsn)
  try {
    const summary = await sampleManifests(pool, sampler, uris)
    log.info(
      `sample: ${summary.sample.length} manifests from ${summary.candidates} candidates in the Quay database`,
    )
    return {
      sample: summary.sample,
      info: sampleInfo(summary),
      sign: (entry) => signLayers(entry.manifest, entry.origin, uris),
    }
  } finally {
    await pool.end()
  }
}

/** `clair-canary sample --out FILE`: the sample stage on its own, so a run can be split. */
export async function sampleCommandToFile(
  read: InputReader,
  out: string,
  log: Logger,
): Promise<{ drawn: number }> {
  const dsn = read('quay-db-dsn')
  if (!dsn) throw new UserError('sample: input quay-db-dsn is required (a Quay database read replica)')
  const raw: Record<string, unknown> = {}
  for (const input of INPUTS) {
    if (input.group !== 'sample' && input.group !== 'layers') continue
    if (input.name === 'manifests' || input.name === 'quay-db-dsn') continue
    const value = read(input.name) ?? input.default
    raw[input.name] = input.secret && value ? new Secret(value) : value
  }
  if (!raw['seed']) raw['seed'] = Math.random().toString(16).slice(2, 18)
  if (flag(raw['current-index-state-only']))
    throw new UserError('sample: current-index-state-only needs production; use it with `clair-canary run`')
  const sampler = await samplerOptions(raw, {})
  const uris = createLayerUriBuilder(parseUriOptions(raw, process.env))
  if (sampler.emptyLayers === 'quay') sampler.configBlobReader = configReaderFromUris(uris)
  const pool = await connectReplica(new Secret(dsn))
  try {
    const summary = await sampleToFile(pool, sampler, uris, out)
    log.info(
      `seed ${sampler.seed}; strata ${JSON.stringify(summary.strata)}; skipped ${JSON.stringify(summary.skipped)}`,
    )
    return { drawn: summary.sample.length }
  } finally {
    await pool.end()
  }
}

async function samplerOptions(raw: Record<string, unknown>, deps: QuaySampleDeps): Promise<SamplerOptions> {
  const { ['current-index-state-only']: currentOnly, ...rest } = raw
  let currentIndexState: string | undefined
  if (flag(currentOnly)) {
    currentIndexState = await deps.productionIndexState?.()
    if (!currentIndexState)
      throw new Error(
        "production's index state could not be read, so current-index-state-only cannot be applied",
      )
  }
  return parseSamplerOptions({
    ...rest,
    ...(currentIndexState ? { 'current-index-state': currentIndexState } : {}),
  })
}

function sampleInfo(summary: SampleSummary): DrawnSample['info'] {
  return {
    source: 'quay-db',
    drawn: summary.sample.length,
    strata: summary.strata,
    skipped: { ...summary.skipped, ...prefixed('fallback:', summary.fallbacks) },
    stale: summary.stale,
  }
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}${k}`, v]))
}

/** current-index-state-only: empty is false; otherwise the one boolean parser decides. */
function flag(value: unknown): boolean {
  const text = typeof value === 'string' ? value.trim() : ''
  return text !== '' && parseBoolean('current-index-state-only', text)
}
