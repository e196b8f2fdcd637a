// Annotations, most important first: failing gates, then code differences grouped by cause, then
// errors, then what was explained away (so a maintainer sees why nothing was flagged). Pure.
import { LIMITS, truncateBytes, truncateChars } from './limits.ts'
import { plural } from '../format.ts'
import type { Attribution, Difference, ManifestDiff, ManifestRecord, Result } from '../rundir/types.ts'

export type AnnotationLevel = 'failure' | 'warning' | 'notice'

/** A check-run annotation (the REST shape, so it can be posted as is). */
export interface Annotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: AnnotationLevel
  title: string
  message: string
  raw_details?: string
}

export interface AnnotationOptions {
  /** Repository path the annotations point at: the rules file, else the workflow file (see annotationPath). */
  path: string
  /** Records give the error annotations; without them one annotation carries result.counts.errors. */
  records?: ManifestRecord[]
}

const EXAMPLES = 10
const CHANGE_RANK: Record<Difference['change'], number> = { removed: 0, changed: 1, added: 2 }
const CHANGE_WORD: Record<Difference['change'], string> = {
  removed: 'missing on the canary',
  changed: 'changed on the canary',
  added: 'new on the canary',
}

interface Group {
  kind: Difference['kind']
  change: Difference['change']
  report: Difference['report']
  scope?: string
  title: string
  manifests: Set<string>
  lines: string[]
  differences: number
  whys: Map<string, number>
}

export function buildAnnotations(
  result: Result,
  diffs: ManifestDiff[],
  opts: AnnotationOptions,
): Annotation[] {
  const out: Array<Omit<Annotation, 'path' | 'start_line' | 'end_line'>> = []

  const gates = [...result.gates]
    .filter((g) => g.decision !== 'pass')
    .sort((a, b) => Number(a.decision !== 'fail') - Number(b.decision !== 'fail'))
  for (const gate of gates) {
    out.push({
      annotation_level: gate.decision === 'fail' ? 'failure' : 'warning',
      title: `Gate ${gate.name} ${gate.decision === 'fail' ? 'failed' : 'inconclusive'}: ${formatValue(gate.value)} (threshold ${gate.threshold})`,
      message: gate.detail,
    })
  }

  const codeLevel: AnnotationLevel = result.verdict === 'fail' ? 'failure' : 'warning'
  for (const group of groupDifferences(diffs, (d) => d.attribution === 'code')) {
    out.push({
      annotation_level: codeLevel,
      title: group.title,
      message: describeGroup(
        group,
        'No rule, vulnerability-data drift, index-state change or noise explains it: attributed to the code change.',
      ),
      raw_details: group.lines.join('\n'),
    })
  }

  out.push(...errorAnnotations(result, opts.records))

  const explained: Attribution[] = ['drift', 'by-design', 'noise', 'allowed']
  for (const attribution of explained) {
    const groups = groupDifferences(diffs, (d) => d.attribution === attribution)
    if (groups.length === 0) continue
    const manifests = new Set(groups.flatMap((g) => [...g.manifests]))
    const differences = groups.reduce((n, g) => n + g.differences, 0)
    const whys = new Map<string, number>()
    for (const g of groups) for (const [why, n] of g.whys) whys.set(why, (whys.get(why) ?? 0) + n)
    out.push({
      annotation_level: 'notice',
      title: `${plural(differences, 'difference')} in ${plural(manifests.size, 'manifest')} explained as ${attribution}`,
      message: [
        `Not counted against the canary (${ATTRIBUTION_WHY[attribution]}).`,
        ...topWhys(whys),
        '',
        'By cause:',
        ...groups.slice(0, EXAMPLES).map((g) => `- ${g.title}`),
      ].join('\n'),
      raw_details: groups.flatMap((g) => g.lines).join('\n'),
    })
  }

  return out.map((a) => ({
    path: opts.path,
    start_line: 1,
    end_line: 1,
    annotation_level: a.annotation_level,
    title: truncateChars(a.title, LIMITS.annotationTitleChars),
    message: truncateBytes(a.message, LIMITS.annotationMessageBytes),
    ...(a.raw_details ? { raw_details: truncateBytes(a.raw_details, LIMITS.annotationMessageBytes) } : {}),
  }))
}

const ATTRIBUTION_WHY: Record<Attribution, string> = {
  code: 'unexplained',
  drift: 'the vulnerability data behind them differs between the two sides',
  'by-design': 'the index states differ and the rules allow this change',
  noise: 'the same difference appears between repeated reads of one side',
  allowed: 'a rule in the rules file allows them',
}

function groupDifferences(diffs: ManifestDiff[], keep: (d: Difference) => boolean): Group[] {
  const groups = new Map<string, Group>()
  for (const { digest, differences } of diffs) {
    for (const d of differences) {
      if (!keep(d)) continue
      const scope = d.ecosystem ?? d.updater
      const id = `${d.report}\u0000${d.kind}\u0000${d.change}\u0000${scope ?? ''}`
      let group = groups.get(id)
      if (!group) {
        group = {
          kind: d.kind,
          change: d.change,
          report: d.report,
          title: '',
          manifests: new Set(),
          lines: [],
          differences: 0,
          whys: new Map(),
        }
        if (scope) group.scope = scope
        groups.set(id, group)
      }
      group.manifests.add(digest)
      group.differences++
      group.lines.push(`${digest}  ${d.key}`)
      if (d.why) group.whys.set(d.why, (group.whys.get(d.why) ?? 0) + 1)
    }
  }
  const list = [...groups.values()]
  for (const g of list) {
    g.title =
      `${plural(g.differences, kindNoun(g.kind))} ${CHANGE_WORD[g.change]}${g.scope ? ` (${g.scope})` : ''}` +
      ` across ${plural(g.manifests.size, 'manifest')} (${g.report} reports)`
  }
  return list.sort(
    (a, b) =>
      CHANGE_RANK[a.change] - CHANGE_RANK[b.change] ||
      b.manifests.size - a.manifests.size ||
      b.differences - a.differences ||
      a.title.localeCompare(b.title),
  )
}

function kindNoun(kind: string): string {
  return kind === 'state' ? 'index state' : kind
}

function describeGroup(group: Group, because: string): string {
  const lines = [because, ...topWhys(group.whys), '', 'Examples:']
  for (const line of group.lines.slice(0, EXAMPLES)) lines.push(`- ${line}`)
  if (group.lines.length > EXAMPLES)
    lines.push(`… and ${group.lines.length - EXAMPLES} more (see raw details).`)
  return lines.join('\n')
}

function topWhys(whys: Map<string, number>): string[] {
  return [...whys.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([why, n]) => `Why: ${why}${n > 1 ? ` (${n}×)` : ''}`)
}

function errorAnnotations(
  result: Result,
  records: ManifestRecord[] | undefined,
): Array<Omit<Annotation, 'path' | 'start_line' | 'end_line'>> {
  if (!records) {
    const errors = result.counts.errors
    if (!errors) return []
    return [
      {
        annotation_level: 'warning',
        title: `${plural(errors, 'request error')} during the replay`,
        message: 'See records.jsonl in the run artifact for each request’s status and error class.',
      },
    ]
  }
  const groups = new Map<
    string,
    { side: string; op: string; error: string; count: number; examples: string[] }
  >()
  for (const record of records) {
    for (const request of record.requests) {
      if (!request.error) continue
      const id = `${request.side}\u0000${request.op}\u0000${request.error}`
      let g = groups.get(id)
      if (!g) {
        g = { side: request.side, op: request.op, error: request.error, count: 0, examples: [] }
        groups.set(id, g)
      }
      g.count++
      if (g.examples.length < EXAMPLES) {
        const status = request.status === null ? 'no response' : `HTTP ${request.status}`
        g.examples.push(`- ${record.digest}: ${status}${request.message ? `, ${request.message}` : ''}`)
      }
    }
  }
  return [...groups.values()]
    .sort((a, b) => Number(a.side !== 'canary') - Number(b.side !== 'canary') || b.count - a.count)
    .map((g) => ({
      annotation_level: g.side === 'canary' ? 'warning' : 'notice',
      title: `${g.side} ${g.op}: ${plural(g.count, `${g.error} error`)}`,
      message: [
        g.side === 'canary'
          ? 'Requests to the canary that gave no usable answer.'
          : 'Production gave no usable answer; these manifests could not be compared.',
        'Examples:',
        ...g.examples,
      ].join('\n'),
    }))
}

function formatValue(value: number | string | null): string {
  if (value === null) return 'no value'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3)
  return value
}

/** Cuts the list to max annotations; the last kept slot says how many more there are and where. */
export function limitAnnotations(annotations: Annotation[], max: number, where: string): Annotation[] {
  if (annotations.length <= max) return annotations
  const kept = annotations.slice(0, Math.max(0, max - 1))
  const rest = annotations.length - kept.length
  const first = annotations[0]
  kept.push({
    path: first?.path ?? '.github',
    start_line: 1,
    end_line: 1,
    annotation_level: 'notice',
    title: `${rest} more annotations not shown`,
    message: `${rest} more annotations (lower priority) are not shown here; all differences are in ${where}.`,
  })
  return kept
}

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
}

/** The subset of @actions/core that writes workflow-command annotations. */
export interface AnnotationLog {
  error(message: string, properties?: AnnotationProperties): void
  warning(message: string, properties?: AnnotationProperties): void
  notice(message: string, properties?: AnnotationProperties): void
}

/**
 * Writes annotations as workflow commands: the runner keeps only 10 per type per step, so we send at most
 * 10 per type (9 notices when something was left out) and one notice saying how many more and where.
 * Returns how many were emitted.
 */
export function emitWorkflowAnnotations(
  log: AnnotationLog,
  annotations: Annotation[],
  where = 'the check run and the run artifact',
): number {
  const cap = LIMITS.workflowAnnotationsPerType
  const byType = { error: [] as Annotation[], warning: [] as Annotation[], notice: [] as Annotation[] }
  for (const a of annotations) {
    byType[a.annotation_level === 'failure' ? 'error' : a.annotation_level].push(a)
  }
  const over = Object.values(byType).some((list) => list.length > cap)
  // The "N more" notice takes one of the 10 notice slots.
  const noticeCap = over ? cap - 1 : cap
  const dropped =
    Math.max(0, byType.error.length - cap) +
    Math.max(0, byType.warning.length - cap) +
    Math.max(0, byType.notice.length - noticeCap)
  let emitted = 0
  for (const type of ['error', 'warning', 'notice'] as const) {
    const limit = type === 'notice' ? noticeCap : cap
    for (const a of byType[type].slice(0, limit)) {
      log[type](truncateChars(a.message, LIMITS.workflowAnnotationChars), {
        title: a.title,
        file: a.path,
        startLine: a.start_line,
      })
      emitted++
    }
  }
  if (dropped > 0) {
    log.notice(`${dropped} more annotations are not shown here: see ${where}.`, {
      title: `${dropped} more annotations`,
    })
    emitted++
  }
  return emitted
}
