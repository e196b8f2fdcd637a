// `clair-canary compare`: re-judge without replaying. Either two report stores (production = baseline, canary =
// candidate), or a run directory as --baseline alone: then its own stores, records, re-reads, sample and rules are
// judged again, so the verdict is the run's unless the rules changed. Writes the same files as a run.
import { stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { DEFAULT_RULES } from './config/default-rules.ts'
import { readRules, writableDir } from './config/config.ts'
import { UserError, errorMessage } from './errors.ts'
import { writeOutcome } from './pipeline.ts'
import { judgeStores } from './rejudge.ts'
import { openReportStore, prepareRunDir, readJsonIfExists, readJsonlRows, writeJsonl } from './rundir/io.ts'
import { RUN_FILES, reportsDir, storeDir } from './rundir/layout.ts'
import { TOOL_VERSION } from './version.ts'
import type { Rules } from './config/types.ts'
import type { ReportStore } from './rundir/io.ts'
import type { Logger } from './log.ts'
import type { PipelineOutcome } from './pipeline.ts'
import type { ManifestRecord, RunInfo, Side } from './rundir/types.ts'

const isDir = async (path: string) => (await stat(path).catch(() => undefined))?.isDirectory() === true

/** A run directory holds reports/production (or reports/canary); a store holds the reports themselves. */
export async function isRunDir(path: string): Promise<boolean> {
  return (await isDir(storeDir(path, 'production'))) || (await isDir(storeDir(path, 'canary')))
}

/** The report store a --baseline/--candidate names: the store itself, or that side's store in a run directory. */
async function storeFor(flag: string, path: string, side: Side): Promise<string> {
  if (!(await isDir(path)))
    throw new UserError(
      `compare: ${flag} ${path} is not a directory (expected a run directory or a report store such as <run dir>/reports/${side})`,
    )
  if (await isRunDir(path)) return storeDir(path, side)
  return path
}

export async function compareRunDirs(opts: {
  baseline: string
  candidate?: string
  out: string
  rules?: string
  log: Logger
  today?: string
}): Promise<PipelineOutcome> {
  const started = new Date()
  const today = opts.today ?? started.toISOString().slice(0, 10)
  const rerun = opts.candidate === undefined
  if (rerun && !(await isRunDir(opts.baseline)))
    throw new UserError(
      `compare: --baseline ${opts.baseline} is not a run directory (no reports/production or reports/canary in it); ` +
        'give a run directory alone, or two report stores with --baseline and --candidate',
    )
  if (rerun && resolve(opts.out) === resolve(opts.baseline))
    throw new UserError(
      'compare: --out must not be the run directory itself (its files would be overwritten)',
    )
  const productionDir = await storeFor('--baseline', opts.baseline, 'production')
  const canaryDir = await storeFor(
    rerun ? '--baseline' : '--candidate',
    opts.candidate ?? opts.baseline,
    'canary',
  )
  // --out gets result files of its own, and what an earlier compare left there goes: never a file, never a run's
  // directory (its reports would go), never inside a store being read.
  await writableDir('compare: --out', opts.out, resolve(opts.out))
  if (await isRunDir(opts.out))
    throw new UserError(
      `compare: --out ${opts.out} is a run directory (it holds reports/); write the result to another directory`,
    )
  for (const store of [productionDir, canaryDir]) {
    if (inside(opts.out, store))
      throw new UserError(
        `compare: --out ${opts.out} is inside the report store ${store}; write the result to another directory`,
      )
    if (inside(store, reportsDir(opts.out)))
      throw new UserError(
        `compare: --out ${opts.out} holds the report store ${store} in its reports/; write the result to another directory`,
      )
  }
  const production = await openReportStore(productionDir)
  const canary = await openReportStore(canaryDir)
  if (production.digests.length === 0 && canary.digests.length === 0)
    throw new UserError(
      `compare: neither ${productionDir} nor ${canaryDir} holds any sha256-<hex>.index.json report ` +
        "(a report store is a run directory's reports/production or reports/canary)",
    )

  // Re-judging a whole run: everything the run judged, read back from its run directory.
  const original = rerun ? await readRunFile(opts.baseline) : undefined
  const records: ManifestRecord[] = rerun ? await readRecords(opts.baseline) : []
  const rereads: { production?: ReportStore; canary?: ReportStore } = {}
  if (rerun)
    for (const side of ['production', 'canary'] as const) {
      const dir = storeDir(opts.baseline, `${side}-reread`)
      if (await isDir(dir)) rereads[side] = await openReportStore(dir)
    }
  const runRules = (original?.config as { rules?: Rules } | undefined)?.rules
  const rules = opts.rules
    ? await readRules(opts.rules, opts.rules, 'compare: --rules')
    : (runRules ?? DEFAULT_RULES)
  if (rerun && !opts.rules)
    opts.log.info(
      `compare: ${runRules ? "the run's own rules" : 'the default rules'} (--rules to judge with others)`,
    )

  const digests = new Set([...production.digests, ...canary.digests])
  const sample = original?.sample ?? { source: 'report stores', requested: digests.size, drawn: digests.size }
  // A run killed mid-replay (SIGKILL) left its finished records but never its final run.json: what it did not
  // finish is missing evidence, never a pass.
  const incomplete = [
    ...(original?.incomplete ?? []),
    ...(original && original.finished_at === undefined
      ? [
          {
            stage: 'run',
            reason:
              'the run did not finish (its run.json has no finished_at): it was killed, or is still running',
          },
        ]
      : []),
  ]
  const { result, diffs } = await judgeStores({
    stores: { production, canary },
    ...(rerun ? { rereads } : {}),
    rules,
    today,
    records,
    sample,
    ...(incomplete.length ? { incomplete } : {}),
    ...(original?.early_stop ? { earlyStop: original.early_stop } : {}),
    ...(original?.history ? { history: original.history } : {}),
  })
  const run: RunInfo = {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: TOOL_VERSION },
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    seed: original?.seed ?? '',
    config: {
      command: 'compare',
      baseline: opts.baseline,
      candidate: opts.candidate ?? null,
      rules: opts.rules ?? null,
    },
    sides: {
      canary: {
        ...original?.sides.canary,
        url: original?.sides.canary.url ?? canaryDir,
        ...(canary.indexState ? { index_state: canary.indexState.state } : {}),
      },
      production: {
        ...original?.sides.production,
        url: original?.sides.production.url ?? productionDir,
        ...(production.indexState ? { index_state: production.indexState.state } : {}),
      },
    },
    sample,
    timings: {},
    ...(incomplete.length ? { incomplete } : {}),
    ...(original?.early_stop ? { early_stop: original.early_stop } : {}),
  }
  // Every input has been read: only now may what an earlier run left in --out go.
  await prepareRunDir(opts.out, { stores: false })
  await writeJsonl(join(opts.out, RUN_FILES.diffs), diffs)
  return writeOutcome(opts.out, run, result, records, diffs, opts.log)
}

/** `path` is `parent` or lies under it. */
function inside(path: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The run directory's run.json, if any; one that is not JSON is the user's to fix. */
async function readRunFile(runDir: string): Promise<RunInfo | undefined> {
  const path = join(runDir, RUN_FILES.run)
  try {
    return await readJsonIfExists<RunInfo>(path)
  } catch (error) {
    throw new UserError(`compare: ${path} is not a run.json: ${errorMessage(error)}`)
  }
}

/** The run directory's records.jsonl (none when absent); a broken line is the user's to fix. */
function readRecords(runDir: string): Promise<ManifestRecord[]> {
  return readJsonlRows<ManifestRecord>(join(runDir, RUN_FILES.records), 'compare')
}
