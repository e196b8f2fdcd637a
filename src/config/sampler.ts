// The Quay sampler's inputs, parsed once into a typed object (src/quay reads it and never parses text).
import { UserError } from '../errors.ts'
import { integer, oneOf, parseBoolean } from './values.ts'
import type { SamplerSettings, StratumDimension } from './types.ts'

export const STRATUM_DIMENSIONS: readonly StratumDimension[] = ['media_type', 'distribution', 'recency']

/** `get` returns an input's value with action.yml's default applied ('' = unset). */
export function parseSamplerSettings(get: (name: string) => string): SamplerSettings {
  const strata: StratumDimension[] = []
  for (const item of get('strata')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none')) {
    const dimension = STRATUM_DIMENSIONS.find((d) => d === item)
    if (!dimension)
      throw new UserError(
        `input strata: unknown stratum ${JSON.stringify(item)}; expected any of ${STRATUM_DIMENSIONS.join(', ')}`,
      )
    if (!strata.includes(dimension)) strata.push(dimension)
  }
  return {
    strata,
    recentDays: integer('recent-days', get('recent-days'), 1, 36_500),
    liveTagsOnly: parseBoolean('live-tags-only', get('live-tags-only')),
    currentIndexStateOnly: parseBoolean('current-index-state-only', get('current-index-state-only')),
    emptyLayers: oneOf('empty-layers', get('empty-layers'), ['quay', 'skip'] as const),
    includePrivate: parseBoolean('include-private-repositories', get('include-private-repositories')),
  }
}
