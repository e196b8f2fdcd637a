// What a check run and a job summary say, fitted to GitHub's limits. Pure: the markdown renderer
// (src/report/summary.ts renderSummary) is passed in, so this module does not depend on its progress.
import { LIMITS, truncateChars } from './limits.ts'
import { plural, utf8Bytes } from '../format.ts'
import { text as escapeMarkdown } from '../report/markdown.ts'
import { DECISION_MARK } from '../report/console.ts'
import type { Annotation } from './annotations.ts'
import type { Result, RunInfo } from '../rundir/types.ts'
import type { SummaryDetail } from '../report/summary.ts'

export interface SummaryRenderOptions {
  maxBytes?: number
  detail?: SummaryDetail
  artifactUrl?: string
  reportUrl?: string
}

/** The signature of src/report/summary.ts renderSummary. */
export type RenderSummary = (result: Result, run: RunInfo, opts?: SummaryRenderOptions) => string

export interface Links {
  artifactUrl?: string
  reportUrl?: string
}

/** Only the links that are set: an unset one must not reach the renderer as `undefined`. */
export function linksOf(source: Links): Links {
  return {
    ...(source.artifactUrl ? { artifactUrl: source.artifactUrl } : {}),
    ...(source.reportUrl ? { reportUrl: source.reportUrl } : {}),
  }
}

const VERDICT_MARK = DECISION_MARK

/** The action's outputs (see OUTPUTS in src/config/inputs.ts): result.json's own counts, nothing recounted. */
export function verdictOutputs(result: Result, conclusion: string): Record<string, string> {
  const c = result.counts
  return {
    verdict: result.verdict,
    conclusion,
    manifests: String(c.manifests),
    compared: String(c.compared),
    different: String(c.different),
    'code-differences': String(c.code_different),
    errors: String(c.errors),
  }
}

/** Check-run title with the headline numbers, ≤ 255 characters. */
export function checkTitle(result: Result): string {
  const c = result.counts
  const numbers = `${c.compared}/${c.manifests} compared, ${c.different} different, ${c.errors} errors`
  const reason = result.reasons[0]
  const head = `${result.verdict}: ${numbers}`
  if (!reason) return truncateChars(head, LIMITS.checkTitleChars)
  // The numbers always survive; the reason is what gets shortened.
  const room = LIMITS.checkTitleChars - head.length - 3
  return room > 10 ? `${head} — ${truncateChars(reason, room)}` : truncateChars(head, LIMITS.checkTitleChars)
}

/**
 * Renders the summary within maxBytes: asks the renderer for less detail until it fits, and if the renderer
 * still overshoots, falls back to a short summary of our own. Never cuts mid-table.
 */
export function fitSummary(
  render: RenderSummary,
  result: Result,
  run: RunInfo,
  maxBytes: number,
  links: Links = {},
): string {
  // The summary always ends pointing at the artifact: renderSummary's own pointer, or ours when it has none.
  const footer = `\n\n${pointer(links)}`
  const budget = maxBytes - utf8Bytes(footer)
  for (const detail of ['full', 'top', 'counts'] as const) {
    let text: string
    try {
      text = render(result, run, { maxBytes: budget, detail, ...links })
    } catch {
      break
    }
    if (utf8Bytes(text) > budget) continue
    return /artifact/i.test(text.slice(-500)) ? text : text + footer
  }
  return minimalSummary(result, maxBytes, links)
}

/** Verdict, gates and reasons as a list (lists can be cut at any line), then the pointer to the artifact. */
export function minimalSummary(result: Result, maxBytes: number, links: Links = {}): string {
  const lines = [`## ${VERDICT_MARK[result.verdict]} clair-canary: ${result.verdict}`, '']
  for (const reason of result.reasons) lines.push(`- ${escapeMarkdown(reason)}`)
  lines.push('', '**Gates**', '')
  for (const g of result.gates) {
    lines.push(
      `- ${VERDICT_MARK[g.decision]} ${escapeMarkdown(g.name)}: ${escapeMarkdown(String(g.value))} ` +
        `(threshold ${escapeMarkdown(g.threshold)}): ${escapeMarkdown(g.detail)}`,
    )
  }
  return fitLines(lines, maxBytes, pointer(links))
}

/** output.text: every flagged cause, one line each, most important first; the artifact has the rest. */
export function checkText(annotations: Annotation[], maxBytes: number, links: Links = {}): string {
  if (annotations.length === 0) return ''
  const mark = { failure: '❌', warning: '⚠️', notice: 'ℹ️' } as const
  const lines = ['### Everything flagged, most important first', '']
  for (const a of annotations) lines.push(`- ${mark[a.annotation_level]} ${escapeMarkdown(a.title)}`)
  return fitLines(lines, maxBytes, pointer(links))
}

function pointer(links: Links): string {
  const parts: string[] = []
  if (links.reportUrl) parts.push(`[report.html](${links.reportUrl})`)
  if (links.artifactUrl) parts.push(`[the run artifact](${links.artifactUrl})`)
  return parts.length
    ? `Full details: ${parts.join(' and ')}.`
    : 'Full details are in the run artifact (result.json, diffs.jsonl, report.html).'
}

/** Joins whole lines until the budget is spent, then says how many lines were left out, and where to look. */
function fitLines(lines: string[], maxBytes: number, footer: string): string {
  const tail = (omitted: number) =>
    (omitted ? `\n\n_${omitted} more lines left out to fit GitHub's limit._ ` : footer ? '\n\n' : '') + footer
  const parts: string[] = []
  let size = 0
  for (let i = 0; i < lines.length; i++) {
    const next = (i ? '\n' : '') + lines[i]
    const nextSize = utf8Bytes(next)
    if (size + nextSize + utf8Bytes(tail(lines.length - i)) > maxBytes)
      return parts.join('') + tail(lines.length - i)
    parts.push(next)
    size += nextSize
  }
  return parts.join('') + tail(0)
}

/** How a run ended without a verdict: cancelled, an internal error, or an input it refused. */
export type Interruption = 'cancelled' | 'crashed' | 'configuration'

/**
 * A summary when there is no result: the run was cancelled, crashed, or refused its configuration before
 * judging. It points at artifacts only when some were uploaded.
 */
export function interruptedSummary(
  kind: Interruption,
  reason: string,
  links: Links = {},
  /** What a cancelled run judged (checks.ts partialVerdict), when it judged anything. */
  partial?: string,
): string {
  const uploaded = Boolean(links.artifactUrl || links.reportUrl)
  const lines =
    kind === 'configuration'
      ? [
          '## ⚙️ clair-canary: configuration error',
          '',
          `**What was wrong:** ${escapeMarkdown(reason)}`,
          '',
          "**How to fix it:** correct that input in the workflow step's `with:` (or the rules file it names), then " +
            "re-run the job. Every input is described in the action's README; nothing was replayed, and the " +
            'canary was not judged.',
        ]
      : kind === 'cancelled' && partial
        ? [
            `## ⏹️ clair-canary was cancelled: ${partial}`,
            '',
            `- ${escapeMarkdown(reason)}`,
            '- The verdict below judges only the manifests that finished; a cancelled run is never a pass.',
          ]
        : [
            kind === 'cancelled'
              ? '## ⏹️ clair-canary was cancelled before it reached a verdict'
              : '## 💥 clair-canary stopped with an internal error before it reached a verdict',
            '',
            `- ${escapeMarkdown(reason)}`,
            '- This says nothing about the canary either way: no verdict was reached.',
          ]
  return fitLines(
    lines,
    LIMITS.checkOutputBytes,
    uploaded ? pointer(links) : kind === 'configuration' ? '' : "The job's log has the details.",
  )
}

/** "partial verdict inconclusive on 12 of 30 manifests": what a cancelled run judged. */
export function partialVerdict(result: Result, run: RunInfo): string {
  return `partial verdict ${result.verdict} on ${result.counts.manifests} of ${plural(run.sample.drawn, 'manifest')}`
}
