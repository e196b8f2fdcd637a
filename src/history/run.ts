// History around one judged run, shared by a run (pipeline.ts) and the merge job of a sharded run
// (merge-command.ts): read the earlier records, make this run's RunHistory, and write its own record.
import { join } from 'node:path'
import { errorMessage } from '../errors.ts'
import { plural } from '../format.ts'
import { writeJson } from '../rundir/io.ts'
import { RUN_FILES } from '../rundir/layout.ts'
import { runHistory } from './baseline.ts'
import { canaryCode, historyRecord, runSettings, type FieldDifference, type HistoryRecord } from './record.ts'
import { readHistoryArtifacts, readHistoryDir, saveToHistoryDir, type HistoryArtifactsApi } from './store.ts'
import type { HistoryOptions } from '../config/types.ts'
import type { Logger } from '../log.ts'
import type { ManifestDiff, Result, RunHistory, RunInfo, SideInfo } from '../rundir/types.ts'

export interface LoadedHistory {
  records: HistoryRecord[]
  /** A directory, "artifacts" or "none". */
  source: string
  /** Why no records could be read: the nights gate is then not judged, and nothing else changes. */
  unavailable?: string
}

/**
 * Earlier runs' records: from the history directory (a broken one is bad input, a UserError), else from earlier
 * runs' artifacts. Artifacts are an auxiliary read: when they cannot be listed, a warning names the cause and the
 * fix, and the run goes on without history rather than hinge its verdict on it.
 */
export async function loadHistoryRecords(opts: {
  history: HistoryOptions
  /** The artifact name earlier runs uploaded their records under (before the -history suffix). */
  artifactBase: string
  api: HistoryArtifactsApi | undefined
  log: Logger
}): Promise<LoadedHistory> {
  const { history, log } = opts
  if (history.dir) return { records: await readHistoryDir(history.dir), source: history.dir }
  const notJudged = 'index-latency-nights is not judged; the rest of the verdict stands'
  if (!opts.api) {
    const unavailable =
      "no token to read earlier runs' artifacts: give the action token: ${{ github.token }} with permissions actions: read"
    log.warning(`history: ${unavailable}; ${notJudged}`)
    return { records: [], source: 'none', unavailable }
  }
  try {
    const records = await readHistoryArtifacts({
      api: opts.api,
      base: opts.artifactBase,
      branches: [...new Set([history.branch, history.defaultBranch])],
      depth: history.depth,
      log,
    })
    return { records, source: 'artifacts' }
  } catch (error) {
    const unavailable = listingFailure(error)
    log.warning(`history: ${unavailable}; ${notJudged}`)
    return { records: [], source: 'artifacts', unavailable }
  }
}

/** Why earlier runs' artifacts could not be listed, and what fixes it. */
function listingFailure(error: unknown): string {
  const status = (error as { status?: unknown } | undefined)?.status
  const cause = `earlier runs' artifacts could not be listed (${typeof status === 'number' ? `HTTP ${status}: ` : ''}${errorMessage(error)})`
  // GitHub answers 403 "Resource not accessible by integration" to a token without actions: read, and 404 when
  // the token cannot see the repository's Actions at all.
  return status === 401 || status === 403 || status === 404
    ? `${cause}: the job needs permissions actions: read (reading artifacts needs it)`
    : cause
}

/** What this run takes from the earlier runs' records, for the judge and run.json. */
export function readRunHistory(opts: {
  loaded: LoadedHistory
  history: HistoryOptions
  run: RunInfo
  /** This run's code and noise differences by signature (differencesByCause). */
  fields: FieldDifference[]
  /** Manifests this run replayed (all legs of a sharded run). */
  manifests: number
  log: Logger
}): RunHistory {
  const { loaded, history, run, log } = opts
  const code = (side: SideInfo) =>
    canaryCode({ clair: { canary: side.version ?? null, production: null }, commit: history.commit })
  const out = runHistory({
    records: loaded.records,
    depth: history.depth,
    branch: history.branch,
    defaultBranch: history.defaultBranch,
    source: loaded.source,
    ...(loaded.unavailable !== undefined ? { unavailable: loaded.unavailable } : {}),
    current: {
      event: history.event,
      fields: opts.fields,
      code: code(run.sides.canary),
      productionCode: run.sides.production.version ? code(run.sides.production) : '',
      time: run.started_at,
      settings: runSettings(run.config),
      manifests: opts.manifests,
    },
  })
  if (loaded.unavailable === undefined) {
    const aside = out.set_aside?.length ?? 0
    log.info(
      `history: ${plural(out.runs.length, 'earlier run')} on ${history.branch}, ${plural(out.nights.length, 'comparable night')} on ${history.defaultBranch}${aside > 0 ? ` (${aside} set aside)` : ''} (from ${loaded.source === 'artifacts' ? "earlier runs' artifacts" : loaded.source})`,
    )
  }
  return out
}

/** history.json in the run directory, and in the history directory when there is one. */
export async function writeHistoryRecord(
  history: HistoryOptions,
  outcome: { runDir: string; run: RunInfo; result: Result; diffs: ManifestDiff[] },
  log: Logger,
): Promise<void> {
  const record = historyRecord({
    result: outcome.result,
    run: outcome.run,
    diffs: outcome.diffs,
    context: history,
    noisy: (outcome.run.history?.noisy ?? []).map((f) => f.text),
  })
  await writeJson(join(outcome.runDir, RUN_FILES.history), record)
  if (history.dir) {
    const path = await saveToHistoryDir(history.dir, record)
    log.info(`history: this run's record is ${path}`)
  }
}
