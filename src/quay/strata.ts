// The strata a manifest falls in, from what its row says (no layer is read).
import { MEDIA_TYPES, type ParsedManifest } from './manifest.ts'

export function mediaTypeStratum(mediaType: string): string {
  switch (mediaType) {
    case MEDIA_TYPES.schema2:
      return 'docker_v2'
    case MEDIA_TYPES.oci:
      return 'oci'
    case MEDIA_TYPES.schema1:
    case MEDIA_TYPES.schema1Signed:
      return 'docker_v1'
    default:
      return 'other'
  }
}

// Cheap hints only: what the manifest row itself says. The truth is in the layers, which we do not read.
const DISTRIBUTION_HINTS: Array<[RegExp, string]> = [
  [/\b(ubi\d*|rhel\d*|redhat)\b|ubi\d/, 'rhel'],
  [/\bcentos/, 'centos'],
  [/\bfedora/, 'fedora'],
  [/\balpine/, 'alpine'],
  [/\bdebian|\bbookworm|\bbullseye|\bbuster/, 'debian'],
  [/\bubuntu|\bjammy|\bfocal|\bnoble/, 'ubuntu'],
  [/\bamazonlinux|\bamzn/, 'amazon'],
  [/\boraclelinux|\bol\d\b/, 'oracle'],
  [/\bsuse|\bsles|\bopensuse/, 'suse'],
  [/\bphoton/, 'photon'],
  [/\bwolfi|\bchainguard/, 'wolfi'],
  [/\bdistroless/, 'distroless'],
]

export function distributionHint(parsed: ParsedManifest, repository: string): string {
  const sources = [
    parsed.annotations?.['org.opencontainers.image.base.name'],
    parsed.annotations?.['org.opencontainers.image.ref.name'],
    ...(parsed.history?.slice(0, 3) ?? []),
    repository,
  ]
  for (const source of sources) {
    if (!source) continue
    const text = source.toLowerCase()
    for (const [pattern, name] of DISTRIBUTION_HINTS) if (pattern.test(text)) return name
  }
  return 'unknown'
}
