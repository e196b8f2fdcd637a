// What judge() reads. What it writes is the Result in src/rundir/types.ts (result.json).
import type { Rules } from '../config/types.ts'
import type { SignalOutcome } from '../signals/watch.ts'
import type { RunHistory } from '../history/baseline.ts'
import type { ContractViolation, Coverage, EarlyStop, ManifestDiff, ManifestRecord } from '../rundir/types.ts'

export interface JudgeInput {
  records: ManifestRecord[]
  diffs: ManifestDiff[]
  rules: Rules
  contractViolations: ContractViolation[]
  sample: { requested: number; drawn: number }
  coverage?: Coverage
  incomplete?: Array<{ stage: string; reason: string }>
  expiredRules?: Array<{ reason: string; expires: string }>
  newFields?: string[]
  /**
   * Sides whose update operations (GET …/internal/update_operation) could not be read: their vulnerability
   * differences cannot be told apart from vulnerability-data drift.
   */
  unknownUpdateOperations?: Array<'production' | 'canary'>
  /**
   * Re-judged stores (no records): manifests with a report on the other side that this side lacks. A missing
   * canary report is missing evidence: the run is inconclusive, never a pass.
   */
  missingReports?: { canary: number; production: number }
  /** The Prometheus and Alertmanager gates, judged around the replay (src/signals). */
  signals?: SignalOutcome
  /** The replay stopped before its planned sample because a sequential test found a regression certain. */
  earlyStop?: EarlyStop
  /** Earlier runs' history (src/history): trends, the nights the canary's index latency is judged against. */
  history?: RunHistory
}
