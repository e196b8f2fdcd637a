// `clair-canary compare`: re-judge two report stores (production = baseline, canary = candidate) without
// replaying anything. Writes the same run directory files as a run, minus records and sample.
import { stat } from 'node:fs/promises'
import { DEFAULT_RULES } from './compare/default-rules.ts'
import { readRules } from './config/config.ts'
import { UserError } from './errors.ts'
import { writeOutcome } from './pipeline.ts'
import { judgeStores } from './rejudge.ts'
import { openReportStore } from './rundir/io.ts'
import { TOOL_VERSION } from './version.ts'
import type { Logger } from './log.ts'
import type { PipelineOutcome } from './pipeline.ts'
import type { RunInfo } from './rundir/types.ts'

export async function compareRunDirs(opts: {
  baseline: string
  candidate: string
  out: string
  rules?: string
  log: Logger
  today?: string
}): Promise<PipelineOutcome> {
  for (const [flag, dir] of [
    ['--baseline', opts.baseline],
    ['--candidate', opts.candidate],
  ] as const) {
    const st = await stat(dir).catch(() => undefined)
    if (!st?.isDirectory())
      throw new UserError(`compare: ${flag} ${dir} is not a directory (expected a report store)`)
  }
  const rules = opts.rules ? await readRules(opts.rules, opts.rules, 'compare: --rules') : DEFAULT_RULES
  const started = new Date()
  const production = await openReportStore(opts.baseline)
  const canary = await openReportStore(opts.candidate)
  if (production.digests.length === 0 && canary.digests.length === 0)
    throw new UserError(`compare: neither store holds any sha256-<hex>.index.json report`)
  const digests = new Set([...production.digests, ...canary.digests])
  const sample = { source: 'report stores', requested: digests.size, drawn: digests.size }
  const { result, diffs } = await judgeStores({
    stores: { production, canary },
    rules,
    today: opts.today ?? started.toISOString().slice(0, 10),
    runDir: opts.out,
    records: [],
    sample,
  })
  const run: RunInfo = {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: TOOL_VERSION },
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    seed: '',
    config: {
      command: 'compare',
      baseline: opts.baseline,
      candidate: opts.candidate,
      rules: opts.rules ?? null,
    },
    sides: {
      canary: { url: opts.candidate, ...(canary.indexState ? { index_state: canary.indexState.state } : {}) },
      production: {
        url: opts.baseline,
        ...(production.indexState ? { index_state: production.indexState.state } : {}),
      },
    },
    sample,
    timings: {},
  }
  return writeOutcome(opts.out, run, result, [], diffs, opts.log)
}
