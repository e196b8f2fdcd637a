// The verdict as the end of a log shows it (the CLI, the demo and the action): the verdict, its reasons, and
// the gates table, so a maintainer reading only the log can decide.
import type { Decision, GateDecision, Result } from '../rundir/types.ts'

/** The one set of marks for a decision, in every place a verdict or a gate is shown. */
export const DECISION_MARK: Record<GateDecision, string> = {
  pass: '✅',
  fail: '❌',
  inconclusive: '⚠️',
  'not-judged': '➖',
}

/** The question a maintainer asks, answered (summary.md and report.html). */
export const VERDICT_ANSWER: Record<Decision, string> = {
  pass: 'the canary can be promoted',
  fail: 'do not promote this canary',
  inconclusive: 'not judged: do not promote on this run',
}

export function verdictLines(result: Result): string[] {
  const lines = [`${DECISION_MARK[result.verdict]} verdict: ${result.verdict.toUpperCase()}`]
  for (const reason of result.reasons) lines.push(`  - ${reason}`)
  lines.push('', 'gates:')
  const width = Math.max(...result.gates.map((g) => g.name.length))
  for (const g of result.gates)
    lines.push(
      `  ${DECISION_MARK[g.decision]} ${g.decision.padEnd(12)} ${g.name.padEnd(width)}  ${g.value ?? '—'} (threshold ${g.threshold})`,
    )
  return lines
}
