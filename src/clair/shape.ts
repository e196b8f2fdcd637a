// Is an answer the report we asked for? A 200 with `{}`, another shape or another manifest's hash is a fault of
// the side that gave it, never a difference in the code: comparing it would make every package look removed.
// Clair (claircore indexreport.go, vulnerabilityreport.go) always writes every key; its maps may be null.

const INDEX_MAPS = ['packages', 'distributions', 'repository', 'environments'] as const
const VULNERABILITY_MAPS = [
  ...INDEX_MAPS,
  'vulnerabilities',
  'package_vulnerabilities',
  'enrichments',
] as const
/** Keys without which an answer is not a report at all. */
const REQUIRED = {
  index: ['state'],
  vulnerability: ['packages', 'vulnerabilities'],
} as const

/**
 * Why `body` is not the `report` of `digest`, in a few words, or undefined when it is one. `digest` undefined
 * skips the hash check (a store file whose name already says which manifest it holds is checked by the caller).
 */
export function reportProblem(
  report: 'index' | 'vulnerability',
  body: unknown,
  digest?: string,
): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return `not a JSON object (${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body})`
  const fields = body as Record<string, unknown>
  const hash = fields['manifest_hash']
  if (typeof hash !== 'string') return 'no manifest_hash'
  if (digest !== undefined && hash !== digest) return `the report of another manifest (${hash.slice(0, 19)}…)`
  for (const key of REQUIRED[report]) if (!(key in fields)) return `no ${key}`
  if (report === 'index' && typeof fields['state'] !== 'string') return 'state is not a string'
  for (const key of report === 'index' ? INDEX_MAPS : VULNERABILITY_MAPS) {
    const value = fields[key]
    if (value === undefined || value === null) continue
    if (typeof value !== 'object' || Array.isArray(value)) return `${key} is not an object`
    // Each entry as claircore writes it: environments and enrichments hold lists, package_vulnerabilities ids.
    const entry = ENTRY[key]
    for (const item of Object.values(value as Record<string, unknown>))
      if (!entry(item)) return `${key} holds an entry of another shape`
  }
  return undefined
}

const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v)
const ENTRY: Record<(typeof VULNERABILITY_MAPS)[number], (v: unknown) => boolean> = {
  packages: isObject,
  distributions: isObject,
  repository: isObject,
  vulnerabilities: isObject,
  environments: (v) => v === null || (Array.isArray(v) && v.every(isObject)),
  package_vulnerabilities: (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  enrichments: (v) => v === null || Array.isArray(v),
}
