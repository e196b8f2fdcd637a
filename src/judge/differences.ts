// The one grouping of differences: by report, kind, change, ecosystem and attribution (cause). The judge's gates
// and reasons, the markdown summary, report.html and the check-run annotations all show these groups, in this
// order, described in these words. Pure.
import { ATTRIBUTIONS } from '../compare/attribute.ts'

// Defined where differences get their causes; re-exported for the readers of groups.
export { ATTRIBUTIONS, countByCause } from '../compare/attribute.ts'
import type { Attribution, Difference, DifferenceGroup, ManifestDiff } from '../rundir/types.ts'

/** A cause in a few words, for tables and headings. */
export const CAUSE: Record<Attribution, string> = {
  code: 'code change',
  drift: 'data drift',
  'by-design': 'by design',
  noise: 'noise',
  allowed: 'allowed by rule',
}

/** Why a difference has that cause, in one line. */
export const CAUSE_WHY: Record<Attribution, string> = {
  code: 'not explained by drift, index state, noise or a rule',
  drift: 'the vulnerability data differs between the sides; not a code change',
  'by-design': 'the index states differ and the rules allow this change',
  noise: 'also differs between repeated reads of one side',
  allowed: 'a rule in the rules file allows it',
}

/** Examples a group keeps in result.json, from distinct manifests where possible. */
const MAX_EXAMPLES = 5

type GroupFields = Pick<Difference, 'report' | 'kind' | 'change' | 'attribution'> & {
  ecosystem?: string | null | undefined
}

/** One difference and the manifest it was found on. */
export interface Member {
  digest: string
  /** As ManifestRecord.repository. */
  repository?: string
  difference: Difference
}

/** The identity of the group a difference (or a group) belongs to. */
export function groupKey(d: GroupFields): string {
  return [d.report, d.kind, d.change, d.ecosystem ?? '', d.attribution].join('\u0000')
}

/** Every difference, by groupKey, in the order diffs.jsonl holds them. */
export function membersByGroup(diffs: ManifestDiff[]): Map<string, Member[]> {
  const out = new Map<string, Member[]>()
  for (const { digest, repository, differences } of diffs)
    for (const difference of differences) {
      const key = groupKey(difference)
      const member: Member = { digest, ...(repository ? { repository } : {}), difference }
      const members = out.get(key)
      if (members) members.push(member)
      else out.set(key, [member])
    }
  return out
}

/** The groups, sorted by compareGroups. */
export function groupDifferences(diffs: ManifestDiff[]): DifferenceGroup[] {
  return [...membersByGroup(diffs).values()].map(summarise).sort(compareGroups)
}

function summarise(members: Member[]): DifferenceGroup {
  const { report, kind, change, ecosystem, attribution } = members[0]!.difference
  const digests = new Set<string>()
  const repositories = new Set<string>()
  const updaters = new Map<string, number>()
  const examples: DifferenceGroup['examples'] = []
  let why: string | null = null
  for (const { digest, repository, difference: d } of members) {
    // Prefer examples from distinct manifests: five keys from one image say less than one from five.
    if (examples.length < MAX_EXAMPLES && !digests.has(digest))
      examples.push({
        digest,
        ...(repository ? { repository } : {}),
        key: d.key,
        before: d.before,
        after: d.after,
      })
    digests.add(digest)
    if (repository) repositories.add(repository)
    if (d.updater) updaters.set(d.updater, (updaters.get(d.updater) ?? 0) + 1)
    if (why === null && d.why) why = d.why
  }
  return {
    report,
    kind,
    change,
    ecosystem: ecosystem ?? null,
    attribution,
    manifests: digests.size,
    ...(repositories.size > 0 ? { repositories: repositories.size } : {}),
    differences: members.length,
    updaters: byCount(updaters).map(([updater, differences]) => ({ updater, differences })),
    why,
    examples,
  }
}

/** Most first, ties by name: stable output. */
export function byCount(counts: Map<string, number>): Array<[string, number]> {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** Code first, then by manifests affected, then differences; ties broken by name so output is stable. */
function compareGroups(a: DifferenceGroup, b: DifferenceGroup): number {
  return (
    Number(b.attribution === 'code') - Number(a.attribution === 'code') ||
    b.manifests - a.manifests ||
    b.differences - a.differences ||
    ATTRIBUTIONS.indexOf(a.attribution) - ATTRIBUTIONS.indexOf(b.attribution) ||
    a.report.localeCompare(b.report) ||
    a.kind.localeCompare(b.kind) ||
    a.change.localeCompare(b.change) ||
    (a.ecosystem ?? '').localeCompare(b.ecosystem ?? '')
  )
}

const KIND_PLURAL: Record<Difference['kind'], string> = {
  state: 'index states',
  distribution: 'distributions',
  package: 'packages',
  repository: 'repositories',
  environment: 'package environments',
  vulnerability: 'vulnerabilities',
  enrichment: 'enrichments',
}

/** "python packages removed", "vulnerabilities added", "index states changed". */
export function describeGroup(g: Pick<DifferenceGroup, 'kind' | 'change' | 'ecosystem'>): string {
  return `${g.ecosystem ? `${g.ecosystem} ` : ''}${KIND_PLURAL[g.kind]} ${g.change}`
}

/** The updaters behind some groups, most differences first: "updaters a, b, c and 2 more" ('' for none). */
export function updatersOf(groups: DifferenceGroup[]): string {
  const counts = new Map<string, number>()
  for (const g of groups)
    for (const u of g.updaters) counts.set(u.updater, (counts.get(u.updater) ?? 0) + u.differences)
  const names = byCount(counts).map(([u]) => u)
  if (names.length === 0) return ''
  const list =
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')
  return `${names.length === 1 ? 'updater' : 'updaters'} ${list}`
}
