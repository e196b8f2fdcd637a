// Time to verdict, each figure a ratio measured in this run with its goal:
// (a) the demo's planted regression, replayed through the real pipeline against the stand-ins, with early stop
//     and without: manifests read before the verdict, against the fixed-sample run's (goal ≤ 1/5);
// (b) a planted 1.3x latency regression in a 3,000-manifest plan (seeded simulation, real sequential judge):
//     the median manifest at which it stops, against the 3,000 the fixed-sample run reads (goal ≤ 1/5);
// (c) the latency gate's power at 100 pairs for a 1.3x paired median regression (goal ≥ 95%) and its false
//     alarms on an unchanged canary (goal ≤ α = 1%), from the simulation behind the README's power table.
// (d) time to verdict: a clean run of BENCH_VERDICT_COUNT manifests (default 3,000; 300 with BENCH_QUICK=1) through
//     the real pipeline against the stand-ins, its wall time against the physical floor
//     max(N / rate, production reads / production-rate) (goal ≤ 1.1×). The index rate is high and production's is
//     its 50/s maximum, so the floor is as low as the inputs allow:
//     what is measured is how well indexing, reading and comparing overlap, not how long a rate makes us wait.
// BENCH_QUICK=1 uses 100 demo manifests and fewer simulated runs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startScenario } from '../demo/scenario.ts'
import { buildConfig } from '../src/config/config.ts'
import { SequentialJudge } from '../src/judge/sequential.ts'
import { DEFAULT_RULES } from '../src/config/default-rules.ts'
import { runPipeline } from '../src/pipeline.ts'
import { latencyFailRate } from '../scripts/latency-power.ts'
import { SIGMA, simulateRun } from '../test/unit/judge/simulate.ts'
import { quietLogger } from '../test/support/log.ts'
import { ratioOf } from './figure.ts'
import type { BenchFigure } from './figure.ts'

const QUICK = process.env['BENCH_QUICK'] === '1'
const DEMO_COUNT = QUICK ? 100 : 200
const RUNS = QUICK ? 200 : 2000
const VERDICT_COUNT = Number(process.env['BENCH_VERDICT_COUNT'] ?? (QUICK ? 300 : 3000))
/** Index POSTs per second on the canary, and production's cap, for the time-to-verdict run. */
const RATE = Number(process.env['BENCH_VERDICT_RATE'] ?? 100)
// production-rate is capped at 50/s (production is never load-tested): reads set the floor.
const PRODUCTION_RATE = Number(process.env['BENCH_VERDICT_PRODUCTION_RATE'] ?? 50)

/** Manifests whose reports were read on production: the evidence a run used before its verdict. */
async function demoRun(
  earlyStop: boolean,
  opts: { count?: number; profile?: string; inputs?: Record<string, string> } = {},
): Promise<{ read: number; indexed: number; productionReads: number; verdict: string; ms: number }> {
  const scenario = await startScenario({
    count: opts.count ?? DEMO_COUNT,
    canaryProfile: opts.profile ?? 'demo',
  })
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-bench-verdict-'))
  try {
    const manifests = join(work, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'bench',
      'run-dir': join(work, 'run'),
      'early-stop': String(earlyStop),
      ...opts.inputs,
    }
    const { config } = await buildConfig((name) => inputs[name])
    const started = performance.now()
    const outcome = await runPipeline(config, { log: quietLogger })
    const ms = performance.now() - started
    const read = outcome.records.filter((r) =>
      r.requests.some((q) => q.side === 'production' && q.error === undefined),
    ).length
    // Every attempt production saw, retries included: its rate cap paces each one.
    const productionReads = outcome.records.reduce(
      (n, r) => n + r.requests.filter((q) => q.side === 'production').reduce((m, q) => m + q.attempts, 0),
      0,
    )
    const indexed = outcome.records.filter((r) => r.requests.some((q) => q.op === 'index')).length
    return { read, indexed, productionReads, verdict: outcome.result.verdict, ms }
  } finally {
    await scenario.close()
    await rm(work, { recursive: true, force: true })
  }
}

function latencyStopMedian(planned: number, runs: number): number {
  const stops: number[] = []
  for (let run = 0; run < runs; run++) {
    const sequential = new SequentialJudge(DEFAULT_RULES, planned)
    let at = planned
    for (const record of simulateRun({ manifests: planned, effect: 1.3, sigma: SIGMA }, run))
      if (sequential.addRecord(record)) {
        at = sequential.stop!.manifest
        break
      }
    stops.push(at)
  }
  stops.sort((a, b) => a - b)
  return stops[Math.floor(stops.length / 2)]!
}

export default async function bench(): Promise<BenchFigure[]> {
  const fixed = await demoRun(false)
  const early = await demoRun(true)
  const demoRatio = ratioOf(early.read, fixed.read)
  console.log(
    `demo (${DEMO_COUNT} manifests): fixed sample ${fixed.verdict} after ${fixed.read} read in ${(fixed.ms / 1000).toFixed(1)} s; ` +
      `early stop ${early.verdict} after ${early.read} read (${early.indexed} indexed) in ${(early.ms / 1000).toFixed(1)} s`,
  )
  const planned = 3000
  const stop = latencyStopMedian(planned, QUICK ? 20 : 100)
  const power = latencyFailRate(1.3, 100, RUNS)
  const falseAlarms = latencyFailRate(1, 100, RUNS)
  const clean = await demoRun(false, {
    count: VERDICT_COUNT,
    profile: 'clean',
    inputs: { rate: String(RATE), 'production-rate': String(PRODUCTION_RATE) },
  })
  const floorMs = 1000 * Math.max(VERDICT_COUNT / RATE, clean.productionReads / PRODUCTION_RATE)
  console.log(
    `time to verdict (${VERDICT_COUNT} manifests, clean): ${clean.verdict} in ${(clean.ms / 1000).toFixed(1)} s; ` +
      `floor max(${VERDICT_COUNT} / ${RATE}/s, ${clean.productionReads} production reads / ${PRODUCTION_RATE}/s) = ${(floorMs / 1000).toFixed(1)} s`,
  )
  return [
    {
      name: `time to verdict, ${VERDICT_COUNT} manifests against the stand-ins`,
      value: clean.ms / 1000,
      unit: 's',
      anchor: 'physical floor max(N / rate, production reads / production-rate)',
      anchorValue: floorMs / 1000,
      ratio: ratioOf(clean.ms, floorMs),
      goal: 'ratio <= 1.1',
      met: ratioOf(clean.ms, floorMs) <= 1.1,
    },
    {
      name: `early stop, demo's planted regression (${DEMO_COUNT} manifests, stand-ins)`,
      value: early.read,
      unit: 'manifests read',
      anchor: 'fixed-sample run, same scenario',
      anchorValue: fixed.read,
      ratio: demoRatio,
      goal: 'ratio <= 0.2, and both fail',
      met: demoRatio <= 0.2 && early.verdict === 'fail' && fixed.verdict === 'fail',
    },
    {
      name: 'early stop, planted 1.3x latency regression (3,000-manifest plan, simulated, median run)',
      value: stop,
      unit: 'manifests',
      anchor: 'fixed-sample run',
      anchorValue: planned,
      ratio: ratioOf(stop, planned),
      goal: 'ratio <= 0.2',
      met: ratioOf(stop, planned) <= 0.2,
    },
    {
      name: `latency gate power, 1.3x at 100 pairs (${RUNS} simulated runs)`,
      value: power,
      unit: 'of runs fail',
      anchor: 'goal',
      anchorValue: 0.95,
      ratio: ratioOf(power, 0.95),
      goal: 'ratio >= 1',
      met: power >= 0.95,
    },
    {
      name: `latency gate false alarms, unchanged canary at 100 pairs (${RUNS} simulated runs)`,
      value: falseAlarms,
      unit: 'of runs fail',
      anchor: 'alpha',
      anchorValue: DEFAULT_RULES.gates.latency.alpha,
      ratio: ratioOf(falseAlarms, DEFAULT_RULES.gates.latency.alpha),
      goal: 'ratio <= 1',
      met: falseAlarms <= DEFAULT_RULES.gates.latency.alpha,
    },
  ]
}
