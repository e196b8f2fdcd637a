// `clair-canary compare`: re-judge without replaying. Either two report stores (production = baseline, canary =
// candidate), or a run directory as --baseline alone: then its own stores, records, re-reads, sample and rules are
// judged again, so the verdict is the run's unless the rules changed. Writes the same files as a run.
import { stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { DEFAULT_RULES } from './config/default-rules.ts'
import { readRules, writableDir } from './config/config.ts'
import { UserError } from './errors.ts'
import { writeOutcome } from './pipeline.ts'
import { judgeStores } from './rejudge.ts'
import { openReportStore, readJsonIfExists, readJsonl } from './rundir/io.ts'
import { RUN_FILES, storeDir } from './rundir/layout.ts'
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
  // --out gets reports/ and result files of its own: never a file, never inside a store being read.
  await writableDir('compare: --out', opts.out, resolve(opts.out))
  for (const store of [productionDir, canaryDir]) {
    const rel = relative(resolve(store), resolve(opts.out))
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
      throw new UserError(
        `compare: --out ${opts.out} is inside the report store ${store}; write the result to another directory`,
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
  const original = rerun ? await readJsonIfExists<RunInfo>(join(opts.baseline, RUN_FILES.run)) : undefined
  const records: ManifestRecord[] = []
  const recordsFile = join(opts.baseline, RUN_FILES.records)
  if (rerun && (await stat(recordsFile).catch(() => undefined)))
    for await (const [, record] of readJsonl(recordsFile)) records.push(record as ManifestRecord)
  const rereads: { production?: ReportStore; canary?: ReportStore } = {}
  if (rerun)
    for (const side of ['production', 'canary'] as const) {
      const dir = join(opts.baseline, 'reports', `${side}-reread`)
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
    runDir: opts.out,
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
  return writeOutcome(opts.out, run, result, records, diffs, opts.log)
}
