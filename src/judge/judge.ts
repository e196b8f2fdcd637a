// Records, differences and contract checks in; gates, a verdict and the reasons for it out. Pure.
//
// Principles (ANCHORS.md sections 1, 6, 9): errors are judged as paired counts, so 0 vs 3 fails; latency is
// judged on percentiles of paired reads, and significance alone never fails; every gate shows the number
// that decided it; missing evidence is inconclusive, never pass.
import type { Rules } from '../config/types.ts'
import type {
  Aggregates,
  Attribution,
  ContractViolation,
  Decision,
  Difference,
  DifferenceGroup,
  ErrorGroup,
  FailureExample,
  Gate,
  ManifestDiff,
  ManifestRecord,
  Operation,
  Outcomes,
  PairedLatency,
  RequestRecord,
  Result,
  Side,
} from '../rundir/types.ts'
import {
  formatMs,
  formatP,
  formatPercent,
  plural,
  requestErrorText,
  shortDigest,
  truncate,
  truncateMiddle,
  truncateWords,
} from '../format.ts'
import {
  indexLatencyGate,
  isFirstRead,
  latencyFigures,
  NO_ANSWER,
  startLag,
  vulnerabilityReportLatencyGate,
} from './latency.ts'
import { mcnemarExact } from './statistics.ts'
import { nightsLatencyGate } from '../history/baseline.ts'
import { byCount, countByCause, describeGroup, groupDifferences, updatersOf } from './differences.ts'
import type { JudgeInput } from './types.ts'

export type * from './types.ts'
export { MIN_LATENCY_PAIRS, ROUTE_TIMEOUT_MS } from './latency.ts'

/** Contract violations kept as examples in result.json. */
const MAX_EXAMPLES = 5
const MAX_FAILURE_EXAMPLES = 20
const KEY_IN_DETAIL = 90
/** Scheduler lag above this (p95) is worth a reason line: the runner, not Clair, may be slow. */
const START_LAG_NOTE_MS = 1000

export function judge(input: JudgeInput): Result {
  const { records, diffs, rules } = input
  const gates = rules.gates
  // `compare` re-judges two report stores with no records: nothing about errors or latency is known then,
  // so those gates are left out (and a reason says so) rather than passed on no evidence.
  const replayed = records.length > 0

  const sides = records.map((record) => ({
    record,
    canary: sideOutcome(record, 'canary'),
    production: sideOutcome(record, 'production'),
  }))
  const outcomes: Outcomes = {
    compared: 0,
    canaryOnlyFailures: 0,
    productionOnlyFailures: 0,
    bothFailed: 0,
    canaryMissing: 0,
    productionMissing: 0,
    canaryUnusable: 0,
    canaryUnread: 0,
  }
  const canaryOnly: FailureExample[] = []
  const canaryOnlyDigests = new Set<string>()
  const productionOnlyDigests = new Set<string>()
  const canaryOnlyClasses = new Map<string, number>()
  const canaryUnusableClasses = new Map<string, number>()
  const canaryUnreadClasses = new Map<string, number>()
  const unreadDigests = new Set<string>()
  for (const { record, canary, production } of sides) {
    if (canary.status === 'unread') {
      outcomes.canaryUnread++
      unreadDigests.add(record.digest)
      canaryUnreadClasses.set(canary.class, (canaryUnreadClasses.get(canary.class) ?? 0) + 1)
    }
    if (production.status === 'unread') unreadDigests.add(record.digest)
    if (canary.status === 'missing') outcomes.canaryMissing++
    if (canary.status === 'unusable') {
      outcomes.canaryUnusable++
      canaryUnusableClasses.set(canary.class, (canaryUnusableClasses.get(canary.class) ?? 0) + 1)
    }
    if (production.status === 'missing') outcomes.productionMissing++
    if (canary.status === 'ok' && production.status === 'ok') outcomes.compared++
    else if (canary.status === 'failed' && production.status === 'ok') {
      outcomes.canaryOnlyFailures++
      canaryOnlyDigests.add(record.digest)
      canaryOnlyClasses.set(canary.class, (canaryOnlyClasses.get(canary.class) ?? 0) + 1)
      if (canaryOnly.length < MAX_FAILURE_EXAMPLES)
        canaryOnly.push({
          digest: record.digest,
          ...(record.repository ? { repository: record.repository } : {}),
          side: 'canary',
          class: canary.class,
          ...(canary.message ? { message: canary.message } : {}),
        })
    } else if (isProductionError(production.status) && canary.status === 'ok') {
      outcomes.productionOnlyFailures++
      productionOnlyDigests.add(record.digest)
    } else if (isProductionError(production.status) && canary.status === 'failed') outcomes.bothFailed++
  }
  const compared = replayed ? outcomes.compared : (input.coverage?.manifests ?? 0)

  // Differences on a manifest that failed on one side are that failure seen again (an IndexError report
  // has no packages, so every package looks removed): the canary-only-failures gate judges the canary's
  // failures, production's are not held against the canary. Neither counts as a report difference.
  // A report that could not be read on either side is no evidence of a difference either.
  const failedOneSide = (digest: string) =>
    canaryOnlyDigests.has(digest) || productionOnlyDigests.has(digest) || unreadDigests.has(digest)
  const judgedDiffs = diffs.filter((d) => !failedOneSide(d.digest))
  const groups = groupDifferences(judgedDiffs)
  const errors = groupErrors(records)
  const requestLatency = latencyFigures(records)

  const gateList: Gate[] = []
  if (replayed)
    gateList.push(
      canaryOnlyFailuresGate(outcomes, canaryOnly, canaryOnlyClasses, gates.maxCanaryOnlyFailures),
    )
  gateList.push(codeDifferencesGate('index', judgedDiffs, groups, gates.maxCodeDifferences.index))
  gateList.push(
    codeDifferencesGate(
      'vulnerability',
      judgedDiffs,
      groups,
      gates.maxCodeDifferences.vulnerability,
      input.unknownUpdateOperations ?? [],
    ),
  )
  let paired: PairedLatency | null = null
  if (replayed) {
    const latency = vulnerabilityReportLatencyGate(records, gates.latency)
    paired = latency.paired
    gateList.push(latency.gate)
    gateList.push(indexLatencyGate(records, gates.latency))
    if (input.history) {
      const canaryIndex = requestLatency.find((f) => f.op === 'index' && f.side === 'canary')
      gateList.push(nightsLatencyGate(canaryIndex, input.history, gates.latency.minEffect))
    }
  }
  gateList.push(contractGate(input.contractViolations, gates.maxContractViolations))
  // With nothing compared, "no differences" and "no violations" are no evidence: those gates say so instead of
  // passing (the evidence gate says why nothing was compared).
  // A comparison that did not complete (stopped by a second signal, or failed) found nothing either.
  const compareIncomplete = (input.incomplete ?? []).some((s) => s.stage === 'compare')
  if (compared === 0 || compareIncomplete)
    for (const [i, g] of gateList.entries())
      if (g.decision === 'pass' && NEEDS_COMPARED.has(g.name))
        gateList[i] = {
          ...g,
          value: null,
          decision: 'inconclusive',
          detail:
            compared === 0
              ? 'not judged: no manifest was compared on both sides'
              : 'not judged: the comparison did not complete',
        }
  if (input.signals) gateList.push(...input.signals.gates)
  const productionAnswered = records.length - outcomes.productionMissing
  const productionFailed = outcomes.productionOnlyFailures + outcomes.bothFailed
  gateList.push(
    evidenceGate({
      compared,
      manifests: replayed ? records.length : input.sample.drawn,
      productionErrorRate: productionAnswered > 0 ? productionFailed / productionAnswered : 0,
      productionFailed,
      canaryUnusable: outcomes.canaryUnusable,
      canaryUnusableClasses,
      canaryUnread: outcomes.canaryUnread,
      canaryUnreadClasses,
      missingCanaryReports: replayed ? 0 : (input.missingReports?.canary ?? 0),
      incomplete: input.incomplete ?? [],
      rules,
    }),
  )

  // A sequential test found the regression certain and the replay stopped: that gate fails on it, even where
  // the fixed-sample test on the manifests read so far could not yet tell.
  const stop = input.earlyStop
  if (stop) {
    const i = gateList.findIndex((g) => g.name === stop.gate)
    const g = gateList[i]
    if (g && g.decision !== 'fail')
      gateList[i] = {
        ...g,
        decision: 'fail',
        detail: `sequential test: ${stop.why}; at the stop: ${g.detail}`,
      }
  }

  const verdict: Decision = gateList.some((g) => g.decision === 'fail')
    ? 'fail'
    : gateList.some((g) => g.decision === 'inconclusive')
      ? 'inconclusive'
      : 'pass'

  const attributionCounts = countByCause(judgedDiffs.flatMap((d) => d.differences))

  const canaryViolations = input.contractViolations.filter((v) => v.side === 'canary')
  const aggregates: Aggregates = {
    differences: groups,
    errors,
    latency: { requests: requestLatency, vulnerabilityReport: paired },
    outcomes,
    canaryOnlyFailures: canaryOnly,
    contractViolations: {
      canary: canaryViolations.length,
      production: input.contractViolations.length - canaryViolations.length,
      examples: input.contractViolations.slice(0, MAX_EXAMPLES),
    },
    coverage: input.coverage ?? null,
    newFields: [...(input.newFields ?? [])].sort(),
    expiredRules: input.expiredRules ?? [],
    incomplete: input.incomplete ?? [],
    sample: input.sample,
    startLag: startLag(records),
    ...(input.signals ? { signals: { alerts: input.signals.alerts, window: input.signals.window } } : {}),
    ...(input.history ? { history: input.history } : {}),
  }

  // The side that failed is named first: a canary that answered nothing is the whole story of the run.
  const canaryDown =
    replayed && sides.every((s) => s.canary.status === 'failed' || s.canary.status === 'unusable')
  const canaryClasses = countClasses(sides.map((s) => s.canary.class))
  const unreachable = [...canaryClasses.keys()].every((c) => NO_ANSWER.includes(c))
  const lead = canaryDown
    ? [
        unreachable
          ? `the canary could not be reached: every one of its requests for ${plural(sides.length, 'manifest')} failed without an answer (${formatClasses(canaryClasses)}); production answered, so this is the canary's side`
          : `every canary request failed, for all ${plural(sides.length, 'manifest')} (${formatClasses(canaryClasses)}); production answered, so this is the canary's side`,
      ]
    : []
  const nothingReplayed = !replayed && (input.incomplete ?? []).length > 0

  return {
    schema: 'clair-canary/result/v1',
    verdict,
    reasons: [
      ...(stop
        ? [
            `stopped early at manifest ${stop.manifest} of ${stop.planned} (${shortDigest(stop.digest)}): ${stop.gate} is certain to fail, so the replay stopped there`,
          ]
        : []),
      ...lead,
      ...reasons(gateList, groups, aggregates, replayed, nothingReplayed),
    ],
    gates: gateList,
    counts: {
      manifests: replayed ? records.length : input.sample.drawn,
      compared,
      different: judgedDiffs.filter((d) => d.differences.length > 0).length,
      // Manifests, like `different`: the attribution counts below count differences.
      code_different: judgedDiffs.filter((d) => d.differences.some((x) => x.attribution === 'code')).length,
      errors: sides.filter((s) => isError(s.canary.status) || isError(s.production.status)).length,
      ...attributionCounts,
      canary_errors: sides.filter((s) => isError(s.canary.status)).length,
      production_errors: productionFailed,
      canary_only_failures: outcomes.canaryOnlyFailures,
      production_only_failures: outcomes.productionOnlyFailures,
      // With records, each side's failures are counted from them; without, the stores are all there is.
      ...(input.missingReports && !replayed
        ? {
            missing_canary_reports: input.missingReports.canary,
            missing_production_reports: input.missingReports.production,
          }
        : {}),
      contract_violations: canaryViolations.length,
    },
    aggregates,
  }
}

// --- Per-manifest outcomes ---------------------------------------------------------------------------

/** Gates whose "nothing found" means something only when manifests were compared. */
const NEEDS_COMPARED = new Set(['index-differences', 'vulnerability-differences', 'quay-contract'])

function countClasses(classes: string[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of classes) out.set(c, (out.get(c) ?? 0) + 1)
  return out
}

function formatClasses(classes: Map<string, number>): string {
  return [...classes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(', ')
}

function isError(status: SideOutcome['status']): boolean {
  return status === 'failed' || status === 'unusable' || status === 'unread'
}

/** Production's failed reads are production's errors: they count towards its error rate, never against the canary. */
function isProductionError(status: SideOutcome['status']): boolean {
  return status === 'failed' || status === 'unread'
}

/**
 * Canary errors that say our setup is wrong (a bad PSK, a matcher still loading its database), not that the
 * new code is broken: such a manifest is not evidence either way, so it is left out of the comparison and
 * the evidence gate says so, rather than failing the canary (never cry wolf).
 */
export const SETUP_ERRORS: readonly string[] = ['unauthorized', 'not_ready', 'no_route']

/**
 * Errors of reading a report, not of indexing it: the connection dropped, the body was cut short or never came,
 * or the run was cancelled. The client has already retried the GET; what is left says nothing about the index.
 */
export const READ_ERRORS: readonly string[] = ['connection', 'truncated', 'timeout', 'cancelled']
const READS: readonly Operation[] = ['index_report', 'vulnerability_report']

export interface SideOutcome {
  /**
   * unusable: the canary answered with a setup error (SETUP_ERRORS); unread: a report could not be read
   * (READ_ERRORS on a GET, or a cancelled request).
   */
  status: 'ok' | 'missing' | 'failed' | 'unusable' | 'unread'
  /** Error class, or "index_error" / "state <X>" from the report's state; empty unless failed. */
  class: string
  message?: string
}

/** Production "indexed" a manifest when its stored report is IndexFinished and both reports were fetched. */
export function sideOutcome(record: ManifestRecord, side: Side): SideOutcome {
  const requests = record.requests.filter(
    (r) => r.side === side && isFirstRead(r) && r.op !== 'delete_index_report',
  )
  if (requests.length === 0) return { status: 'missing', class: '' }
  const readFailure = (r: RequestRecord): boolean =>
    r.error === 'cancelled' || (READ_ERRORS.includes(r.error!) && READS.includes(r.op))
  // A POST whose answer was lost (dropped connection, cut body) while both reports were then read: the
  // reports and their state say whether the canary indexed it.
  const bothRead = READS.every((op) => requests.some((r) => r.op === op && r.error === undefined))
  const lostAnswer = (r: RequestRecord): boolean =>
    r.op === 'index' && bothRead && (r.error === 'connection' || r.error === 'truncated')
  const errors = requests.filter((r) => r.error !== undefined && !lostAnswer(r))
  const failed = errors.find((r) => !readFailure(r))
  const unread = errors.find(readFailure)
  if (!failed && unread)
    return {
      status: 'unread',
      class: unread.error!,
      ...(unread.message ? { message: unread.message } : {}),
    }
  if (failed)
    return {
      status: side === 'canary' && SETUP_ERRORS.includes(failed.error!) ? 'unusable' : 'failed',
      class: failed.error!,
      ...(failed.message ? { message: failed.message } : {}),
    }
  const state = side === 'canary' ? record.canary_state : record.production_state
  if (state !== undefined && state !== 'IndexFinished')
    return { status: 'failed', class: state === 'IndexError' ? 'index_error' : `state ${state}` }
  return { status: 'ok', class: '' }
}

// --- Differences -------------------------------------------------------------------------------------

function codeDifferencesGate(
  report: 'index' | 'vulnerability',
  diffs: ManifestDiff[],
  groups: DifferenceGroup[],
  max: number,
  unknownUpdateOperations: Array<'production' | 'canary'> = [],
): Gate {
  const name = `${report}-differences`
  const manifests = diffs.filter((d) =>
    d.differences.some((x: Difference) => x.report === report && x.attribution === 'code'),
  ).length
  const code = groups.filter((g) => g.report === report && g.attribution === 'code')
  const decision: Decision = manifests > max ? 'fail' : 'pass'
  const threshold = `≤ ${plural(max, 'manifest')}`
  const what = report === 'index' ? 'index report' : 'vulnerability report'
  if (code.length === 0)
    return { name, value: 0, threshold, decision, detail: `no unexplained ${what} differences` }
  // Name the three biggest causes: a maintainer should see every planted regression without opening the report.
  const named = code.slice(0, 3).map((g) => {
    const example = g.examples[0]
    return `${describeGroup(g)} on ${plural(g.manifests, 'manifest')}${
      example ? ` (e.g. ${truncate(example.key, KEY_IN_DETAIL)})` : ''
    }`
  })
  const others = code.length > 3 ? `; ${plural(code.length - 3, 'other cause')}` : ''
  const cause = `${named.join('; ')}${others}`
  const detail =
    decision === 'fail'
      ? `${plural(manifests, 'manifest')} with unexplained ${what} differences (more than ${max}): ${cause}`
      : `${plural(manifests, 'manifest')} with unexplained ${what} differences, within the ${max} allowed: ${cause}`
  // Without both sides' update operations, drift cannot be ruled out: that is missing evidence, not a failure.
  if (decision === 'fail' && unknownUpdateOperations.length > 0)
    return {
      name,
      value: manifests,
      threshold,
      decision: 'inconclusive',
      detail: `${plural(manifests, 'manifest')} with ${what} differences, but the update operations of ${unknownUpdateOperations.join(' and ')} could not be read, so vulnerability-data drift cannot be ruled out: ${cause}`,
    }
  return { name, value: manifests, threshold, decision, detail }
}

// --- Errors ------------------------------------------------------------------------------------------

function groupErrors(records: ManifestRecord[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup & { digests: Set<string> }>()
  for (const record of records) {
    for (const r of record.requests) {
      if (r.error === undefined) continue
      const id = `${r.side}\u0000${r.op}\u0000${r.error}`
      let g = groups.get(id)
      if (!g) {
        g = {
          side: r.side,
          op: r.op,
          class: r.error,
          requests: 0,
          manifests: 0,
          example: {
            digest: record.digest,
            ...(record.repository ? { repository: record.repository } : {}),
            status: r.status,
            ...(r.message ? { message: r.message } : {}),
          },
          digests: new Set(),
        }
        groups.set(id, g)
      }
      g.requests++
      g.digests.add(record.digest)
    }
  }
  return [...groups.values()]
    .map(({ digests, ...g }) => ({ ...g, manifests: digests.size }))
    .sort(
      (a, b) =>
        Number(b.side === 'canary') - Number(a.side === 'canary') ||
        b.manifests - a.manifests ||
        b.requests - a.requests ||
        a.op.localeCompare(b.op) ||
        a.class.localeCompare(b.class),
    )
}

function canaryOnlyFailuresGate(
  outcomes: Outcomes,
  examples: FailureExample[],
  classes: Map<string, number>,
  max: number,
): Gate {
  const b = outcomes.canaryOnlyFailures
  const c = outcomes.productionOnlyFailures
  const test = mcnemarExact(b, c)
  const decision: Decision = b > max ? 'fail' : 'pass'
  const byClass = byCount(classes)
    .map(([cls, n]) => `${cls} ${n}`)
    .join(', ')
  const first = examples[0]
  const example = first
    ? `, e.g. ${shortDigest(first.digest)}${first.message ? ` (${truncateMiddle(requestErrorText(first.message), 160)})` : ''}`
    : ''
  const info = `production-only failures: ${c}; exact McNemar ${formatP(test.pTwoSided)} (information: judged on counts)`
  const detail =
    b === 0
      ? `no manifest failed on the canary that production indexed; ${info}`
      : `${plural(b, 'manifest')} production indexed but the canary did not (${byClass})${example}; ${info}`
  return {
    name: 'canary-only-failures',
    value: b,
    threshold: `≤ ${plural(max, 'manifest')}`,
    decision,
    detail: decision === 'pass' && b > 0 ? `${detail}; within the ${max} allowed` : detail,
  }
}

function contractGate(violations: ContractViolation[], max: number): Gate {
  const canary = violations.filter((v) => v.side === 'canary')
  const production = violations.length - canary.length
  const decision: Decision = canary.length > max ? 'fail' : 'pass'
  const first = canary[0]
  const prod =
    production > 0
      ? `; production itself has ${plural(production, 'violation')} (not held against the canary)`
      : ''
  const detail = first
    ? `${plural(canary.length, 'canary response')} break Quay's schema, e.g. ${shortDigest(first.digest)} ${first.op}: ${truncateWords(first.message, 100)}${prod}`
    : `every canary response fits Quay's schema${prod}`
  return {
    name: 'quay-contract',
    value: canary.length,
    threshold: `≤ ${plural(max, 'violation')}`,
    decision,
    detail,
  }
}

// --- Evidence ----------------------------------------------------------------------------------------

function evidenceGate(e: {
  compared: number
  manifests: number
  productionErrorRate: number
  productionFailed: number
  canaryUnusable: number
  canaryUnusableClasses: Map<string, number>
  canaryUnread: number
  canaryUnreadClasses: Map<string, number>
  missingCanaryReports: number
  incomplete: Array<{ stage: string; reason: string }>
  rules: Rules
}): Gate {
  const { minCompared, maxProductionErrorRate } = e.rules.gates
  const threshold = `≥ ${minCompared} compared, production errors ≤ ${formatPercent(maxProductionErrorRate)}, every stage complete`
  // A stage that did not complete explains everything after it, so it comes first.
  const problems: string[] = e.incomplete.map((s) => `stage ${s.stage} did not complete: ${s.reason}`)
  if (e.compared < minCompared)
    problems.push(`only ${e.compared} of ${plural(e.manifests, 'manifest')} compared (${minCompared} needed)`)
  if (e.productionErrorRate > maxProductionErrorRate)
    problems.push(
      `production failed on ${formatPercent(e.productionErrorRate)} of manifests (${e.productionFailed}; more than ${formatPercent(maxProductionErrorRate)}), so it is no baseline`,
    )
  const unusableRate = e.manifests > 0 ? e.canaryUnusable / e.manifests : 0
  if (unusableRate > maxProductionErrorRate) {
    const classes = [...e.canaryUnusableClasses.entries()].map(([c, n]) => `${c} ${n}`).join(', ')
    problems.push(
      `the canary refused ${formatPercent(unusableRate)} of manifests for setup reasons (${classes}): check its PSK and readiness; this says nothing about the code`,
    )
  }
  if (e.missingCanaryReports > 0)
    problems.push(
      `${plural(e.missingCanaryReports, 'manifest')} with a production report lack the canary's: a missing report is no evidence`,
    )
  const unreadRate = e.manifests > 0 ? e.canaryUnread / e.manifests : 0
  if (unreadRate > maxProductionErrorRate) {
    const classes = [...e.canaryUnreadClasses.entries()].map(([c, n]) => `${c} ${n}`).join(', ')
    problems.push(
      `the canary's reports of ${formatPercent(unreadRate)} of manifests could not be read (${classes}): a failed read says nothing about indexing`,
    )
  }
  if (problems.length > 0)
    return {
      name: 'evidence',
      value: e.compared,
      threshold,
      decision: 'inconclusive',
      detail: problems.join('; '),
    }
  return {
    name: 'evidence',
    value: e.compared,
    threshold,
    decision: 'pass',
    detail: `${e.compared} of ${plural(e.manifests, 'manifest')} compared; production errors ${formatPercent(e.productionErrorRate)}; every stage complete`,
  }
}

// --- Reasons -----------------------------------------------------------------------------------------

function reasons(
  gates: Gate[],
  groups: DifferenceGroup[],
  a: Aggregates,
  replayed: boolean,
  nothingReplayed: boolean,
): string[] {
  const out: string[] = []
  for (const g of gates) if (g.decision === 'fail') out.push(`${g.name} failed: ${g.detail}`)
  // Missing evidence explains every other inconclusive gate, so it is said first.
  const inconclusive = gates.filter((g) => g.decision === 'inconclusive')
  inconclusive.sort((x, y) => Number(y.name === 'evidence') - Number(x.name === 'evidence'))
  // Gates not judged for want of compared manifests add nothing to what the evidence gate says.
  for (const g of inconclusive)
    if (!(NEEDS_COMPARED.has(g.name) && g.value === null)) out.push(`${g.name} inconclusive: ${g.detail}`)
  // A gate that had nothing to judge against leaves the verdict to the others, and says why.
  for (const g of gates) if (g.decision === 'not-judged') out.push(`${g.name} not judged: ${g.detail}`)

  for (const report of ['vulnerability', 'index'] as const) {
    const drift = groups.filter((g) => g.attribution === 'drift' && g.report === report)
    if (drift.length === 0) continue
    const differences = drift.reduce((s, g) => s + g.differences, 0)
    const updaters = updatersOf(drift)
    out.push(
      `${plural(differences, `${report} difference`)} explained by vulnerability-data drift${
        updaters ? ` (${updaters} fingerprints differ)` : ''
      } — not a code change`,
    )
  }
  const explained: Array<[Attribution, string]> = [
    ['by-design', 'by design (the index states differ and the rules allow the change)'],
    ['noise', 'noise (it also differs between repeated reads of one side)'],
    ['allowed', 'allowed by the rules file'],
  ]
  for (const [attribution, text] of explained) {
    const gs = groups.filter((g) => g.attribution === attribution)
    if (gs.length === 0) continue
    const differences = gs.reduce((s, g) => s + g.differences, 0)
    const why = gs.find((g) => g.why)?.why
    const verb = differences === 1 ? 'is' : 'are'
    out.push(
      `${plural(differences, 'difference')} ${verb} ${text}${why ? `, e.g. ${truncateWords(why, 100)}` : ''}`,
    )
  }
  if (a.outcomes.productionOnlyFailures > 0)
    out.push(
      `${plural(a.outcomes.productionOnlyFailures, 'manifest')} failed only on production (not held against the canary)`,
    )
  if (a.expiredRules.length > 0) {
    const shown = a.expiredRules
      .slice(0, 2)
      .map((r) => `${truncateWords(r.reason, 60)} (expired ${r.expires})`)
      .join('; ')
    out.push(
      `${plural(a.expiredRules.length, 'expected-change rule')} expired and no longer ${a.expiredRules.length === 1 ? 'applies' : 'apply'}: ${shown}${a.expiredRules.length > 2 ? '; …' : ''}`,
    )
  }
  const noisy = a.history?.noisy ?? []
  if (noisy.length > 0)
    out.push(
      `${plural(noisy.length, 'kind')} of difference came back night after night without a code change (noisy, still judged): ${truncateWords(noisy.map((f) => f.text).join('; '), 160)}`,
    )
  if (a.newFields.length > 0)
    out.push(`new fields in the reports, not compared: ${truncateWords(a.newFields.join(', '), 160)}`)
  if (a.sample.drawn < a.sample.requested)
    out.push(`the sample holds ${a.sample.drawn} of the ${a.sample.requested} manifests requested`)
  if (!replayed)
    out.push(
      nothingReplayed
        ? 'errors and latency not judged: nothing was replayed'
        : 'errors and latency not judged: no requests were recorded (report stores re-judged)',
    )
  if (a.startLag && a.startLag.p95 > START_LAG_NOTE_MS)
    out.push(
      `the replay started requests late (start lag p95 ${formatMs(a.startLag.p95)}, max ${formatMs(a.startLag.max)}): latencies include waiting on this runner`,
    )
  return out
}
