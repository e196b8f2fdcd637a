// Compare speed and memory on a large vulnerability-report pair (~5,000 packages, ~20,000 matches), measured
// against anchors taken in the same run: JSON.parse of both documents, and jsondiffpatch's diff.
//
// Two canaries of the same content plus 5 planted removals:
// - "another deployment": new ids and map order, the same field shapes (one Clair encoder on both sides: the
//   usual canary);
// - "mixed versions": each optional field also flipped between missing, "", null, [] and {} object by object
//   (reports stored by different claircore versions): every object has its own shape, the slow case for V8.
//
// "from stored reports" times what a run does: compareStores reading both report files from run-directory stores,
// parsing and comparing them, against the anchor doing the same work with jsondiffpatch (read, parse, diff).
//
// The jsondiffpatch anchor uses objectHash by id, the natural way to diff these maps. Ids differ on every key
// between the sides, so it never looks inside an object: it lists everything as deleted and added, a shallow walk
// of both documents whose result is useless, but it is the time a generic differ takes.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { create } from 'jsondiffpatch'
import { compareManifest } from '../src/compare/compare.ts'
import { emptyNoiseIndex } from '../src/compare/attribute.ts'
import { DEFAULT_RULES } from '../src/config/default-rules.ts'
import { reencode } from '../test/unit/compare/mutate.ts'
import { syntheticVulnerabilityReport } from '../test/unit/compare/synthetic.ts'
import { compareStores } from '../src/compare/stores.ts'
import { openReportStore, writeJson } from '../src/rundir/io.ts'
import { vulnerabilityReportFile } from '../src/rundir/layout.ts'
import type { BenchFigure } from './figure.ts'
import type { VulnerabilityReport } from '../src/clair/types.ts'
import type { CompareContext } from '../src/compare/compare.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** As time(), for work that reads files. */
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  gc()
  const t = performance.now()
  await fn()
  return performance.now() - t
}

/** One timed run from a collected heap, so one run's garbage is not billed to the next. */
function time(fn: () => unknown): number {
  gc()
  const t = performance.now()
  fn()
  return performance.now() - t
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

const ctx: CompareContext = {
  rules: DEFAULT_RULES,
  indexStates: {},
  updateOperations: {},
  enrichmentOperations: {},
  today: '2026-06-01',
}

async function workload(
  production: VulnerabilityReport,
  label: string,
  emptyForms: boolean,
): Promise<BenchFigure[]> {
  const canary = reencode(production, 11, { emptyForms })
  const pkgIds = Object.keys(canary.packages ?? {})
  for (const id of pkgIds.slice(0, 5)) {
    delete canary.packages?.[id]
    delete canary.environments?.[id]
    delete canary.package_vulnerabilities?.[id]
  }
  const texts = [JSON.stringify(production), JSON.stringify(canary)]
  const bytes = Buffer.byteLength(texts[0] as string) + Buffer.byteLength(texts[1] as string)
  const matches = Object.values(production.package_vulnerabilities ?? {}).reduce((n, l) => n + l.length, 0)
  const [a, b] = texts.map((t) => JSON.parse(t) as VulnerabilityReport) as [
    VulnerabilityReport,
    VulnerabilityReport,
  ]
  const noise = emptyNoiseIndex()
  const run = () =>
    compareManifest(
      { digest: a.manifest_hash, production: { vulnerability: a }, canary: { vulnerability: b } },
      ctx,
      noise,
    )
  const found = run().differences.length
  if (found !== 5)
    throw new Error(`compare bench (${label}): expected the 5 planted removals, found ${found}`)

  const differ = create({ objectHash: (o: object) => (o as { id?: string }).id ?? JSON.stringify(o) })
  for (let i = 0; i < 3; i++) run()
  differ.diff(a, b)
  const parses: number[] = []
  const compares: number[] = []
  const jdps: number[] = []
  // Interleaved, median of 7: a shared machine's noise falls on all three alike.
  for (let i = 0; i < 7; i++) {
    parses.push(time(() => texts.map((t) => JSON.parse(t) as unknown)))
    compares.push(time(run))
    jdps.push(time(() => differ.diff(a, b)))
  }
  const parseMs = median(parses)
  const compareMs = median(compares)
  const jdpMs = median(jdps)

  // From stored reports: both files written as a run directory holds them, then read, parsed and compared.
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-bench-compare-'))
  const stored: number[] = []
  const storedAnchor: number[] = []
  try {
    const dirs = [join(work, 'production'), join(work, 'canary')] as const
    for (const [i, dir] of dirs.entries()) {
      await mkdir(dir, { recursive: true })
      await writeJson(vulnerabilityReportFile(dir, a.manifest_hash), i === 0 ? a : b)
    }
    const files = dirs.map((dir) => vulnerabilityReportFile(dir, a.manifest_hash))
    const fromStores = async () => {
      const [p, c] = await Promise.all(dirs.map((dir) => openReportStore(dir)))
      const out = await compareStores(p!, c!, { rules: DEFAULT_RULES, today: ctx.today })
      if (out.diffs[0]?.differences.length !== 5) throw new Error(`compare bench (${label}): stored reports`)
    }
    const anchorFromFiles = async () => {
      const [p, c] = await Promise.all(
        files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as object),
      )
      differ.diff(p, c)
    }
    await fromStores()
    await anchorFromFiles()
    for (let i = 0; i < 5; i++) {
      stored.push(await timeAsync(fromStores))
      storedAnchor.push(await timeAsync(anchorFromFiles))
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  const storedMs = median(stored)
  const storedAnchorMs = median(storedAnchor)

  gc()
  const before = process.memoryUsage()
  const result = run()
  const after = process.memoryUsage()
  const heapGrowth = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers)
  void result

  const docs = `${(bytes / 1e6).toFixed(1)} MB, 2×${pkgIds.length} packages, 2×${matches} matches`
  return [
    {
      name: `compare, ${label} (${docs})`,
      value: round(compareMs),
      unit: 'ms',
      anchor: 'JSON.parse of both documents',
      anchorValue: round(parseMs),
      ratio: round(compareMs / parseMs),
      goal: 'ratio ≤ 0.5',
      met: compareMs <= 0.5 * parseMs,
    },
    {
      name: `compare vs jsondiffpatch, ${label}`,
      value: round(compareMs),
      unit: 'ms',
      anchor: 'jsondiffpatch diff (objectHash by id), same parsed objects',
      anchorValue: round(jdpMs),
      ratio: round(compareMs / jdpMs, 3),
      goal: 'ratio ≤ 0.2 (5× faster)',
      met: compareMs * 5 <= jdpMs,
    },
    {
      name: `compare from stored reports, ${label}`,
      value: round(storedMs),
      unit: 'ms',
      anchor: 'jsondiffpatch doing the same work: read, parse and diff both files',
      anchorValue: round(storedAnchorMs),
      ratio: round(storedMs / storedAnchorMs, 3),
      goal: 'ratio ≤ 1',
      met: storedMs <= storedAnchorMs,
    },
    {
      name: `compare heap growth, ${label}`,
      value: round(heapGrowth / 1e6),
      unit: 'MB',
      anchor: 'size of both documents',
      anchorValue: round(bytes / 1e6),
      ratio: round(heapGrowth / bytes),
      goal: 'ratio ≤ 4',
      met: heapGrowth <= 4 * bytes,
    },
  ]
}

export default async function bench(): Promise<BenchFigure[]> {
  const production = syntheticVulnerabilityReport({
    packages: 5000,
    matchesPerPackage: 4,
    seed: 7,
    descriptionLength: 300,
  })
  return [
    ...(await workload(production, 'another deployment', false)),
    ...(await workload(production, 'mixed versions', true)),
  ]
}

// `npx node bench/compare.bench.ts` prints the figures on its own.
if (import.meta.main) for (const f of await bench()) console.log(JSON.stringify(f))
