// Annotations, most important first: failing gates, then code differences grouped by cause, then
// errors, then what was explained away (so a maintainer sees why nothing was flagged). The groups are the
// judge's (result.aggregates.differences, src/judge/differences.ts); diffs.jsonl gives each its every member. Pure.
import { LIMITS, truncateBytes, truncateChars } from './limits.ts'
import { inRepository, manifestCount, plural } from '../format.ts'
import {
  ATTRIBUTIONS,
  byCount,
  CAUSE_WHY,
  groupKey,
  membersByGroup,
  type Member,
} from '../judge/differences.ts'
import type { Difference, DifferenceGroup, ManifestDiff, ManifestRecord, Result } from '../rundir/types.ts'

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
  /** Records give each group of request errors its examples (else the judge's one example is shown). */
  records?: ManifestRecord[]
}

const EXAMPLES = 10
const CHANGE_WORD: Record<Difference['change'], string> = {
  removed: 'missing on the canary',
  changed: 'changed on the canary',
  added: 'new on the canary',
}

/** A judged group with its title and every member's line (digest and key). */
interface Group {
  group: DifferenceGroup
  title: string
  lines: string[]
}

export function buildAnnotations(
  result: Result,
  diffs: ManifestDiff[],
  opts: AnnotationOptions,
): Annotation[] {
  const out: Array<Omit<Annotation, 'path' | 'start_line' | 'end_line'>> = []

  const gates = [...result.gates]
    .filter((g) => g.decision === 'fail' || g.decision === 'inconclusive')
    .sort((a, b) => Number(a.decision !== 'fail') - Number(b.decision !== 'fail'))
  for (const gate of gates) {
    out.push({
      annotation_level: gate.decision === 'fail' ? 'failure' : 'warning',
      title: `Gate ${gate.name} ${gate.decision === 'fail' ? 'failed' : 'inconclusive'}: ${formatValue(gate.value)} (threshold ${gate.threshold})`,
      message: gate.detail,
    })
  }

  const members = membersByGroup(diffs)
  const groups: Group[] = result.aggregates.differences.map((group) => ({
    group,
    title: groupTitle(group),
    lines: (members.get(groupKey(group)) ?? []).map(memberLine),
  }))

  const codeLevel: AnnotationLevel = result.verdict === 'fail' ? 'failure' : 'warning'
  for (const g of groups.filter((g) => g.group.attribution === 'code')) {
    out.push({
      annotation_level: codeLevel,
      title: g.title,
      message: describeGroup(
        g,
        'No rule, vulnerability-data drift, index-state change or noise explains it: attributed to the code change.',
      ),
      raw_details: g.lines.join('\n'),
    })
  }

  out.push(...errorAnnotations(result, opts.records))

  for (const attribution of ATTRIBUTIONS.filter((a) => a !== 'code')) {
    const explained = groups.filter((g) => g.group.attribution === attribution)
    if (explained.length === 0) continue
    // A manifest may be in several groups of one cause: count it once.
    const manifests = new Set(
      explained.flatMap((g) => (members.get(groupKey(g.group)) ?? []).map((m) => m.digest)),
    )
    const differences = explained.reduce((n, g) => n + g.group.differences, 0)
    out.push({
      annotation_level: 'notice',
      title: `${plural(differences, 'difference')} in ${plural(manifests.size, 'manifest')} explained as ${attribution}`,
      message: [
        `Not counted against the canary (${CAUSE_WHY[attribution]}).`,
        ...whys(explained.map((g) => g.group)),
        '',
        'By cause:',
        ...explained.slice(0, EXAMPLES).map((g) => `- ${g.title}`),
      ].join('\n'),
      raw_details: explained.flatMap((g) => g.lines).join('\n'),
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

/** "3 packages missing on the canary (python) across 2 manifests (index reports)". */
function groupTitle(g: DifferenceGroup): string {
  return (
    `${plural(g.differences, kindNoun(g.kind))} ${CHANGE_WORD[g.change]}${g.ecosystem ? ` (${g.ecosystem})` : ''}` +
    ` across ${manifestCount(g.manifests, g.repositories)} (${g.report} reports)`
  )
}

function memberLine({ digest, repository, difference }: Member): string {
  return `${digest}${inRepository(repository)}  ${difference.key}`
}

function kindNoun(kind: Difference['kind']): string {
  return kind === 'state' ? 'index state' : kind
}

function describeGroup(g: Group, because: string): string {
  const lines = [because, ...whys([g.group]), '', 'Examples:']
  for (const line of g.lines.slice(0, EXAMPLES)) lines.push(`- ${line}`)
  if (g.lines.length > EXAMPLES) lines.push(`… and ${g.lines.length - EXAMPLES} more (see raw details).`)
  return lines.join('\n')
}

/** The groups' whys, at most three, the one behind the most differences first. */
function whys(groups: DifferenceGroup[]): string[] {
  const counts = new Map<string, number>()
  for (const g of groups) if (g.why) counts.set(g.why, (counts.get(g.why) ?? 0) + g.differences)
  return byCount(counts)
    .slice(0, 3)
    .map(([why]) => `Why: ${why}`)
}

/** One annotation per group of request errors (the judge's, result.aggregates.errors), canary's first. */
function errorAnnotations(
  result: Result,
  records: ManifestRecord[] | undefined,
): Array<Omit<Annotation, 'path' | 'start_line' | 'end_line'>> {
  const groups = result.aggregates.errors
  if (groups.length === 0) {
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
  return groups.map((g) => {
    const examples = (records ?? [])
      .flatMap((record) =>
        record.requests
          .filter((r) => r.side === g.side && r.op === g.op && r.error === g.class)
          .map((r) => ({
            digest: record.digest,
            repository: record.repository,
            status: r.status,
            message: r.message,
          })),
      )
      .slice(0, EXAMPLES)
    return {
      annotation_level: g.side === 'canary' ? 'warning' : 'notice',
      title: `${g.side} ${g.op}: ${plural(g.requests, `${g.class} error`)}`,
      message: [
        g.side === 'canary'
          ? 'Requests to the canary that gave no usable answer.'
          : 'Production gave no usable answer; these manifests could not be compared.',
        'Examples:',
        ...(examples.length > 0 ? examples : [g.example]).map(
          (e) =>
            `- ${e.digest}${inRepository(e.repository)}: ${e.status === null ? 'no response' : `HTTP ${e.status}`}${e.message ? `, ${e.message}` : ''}`,
        ),
      ].join('\n'),
    }
  })
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
