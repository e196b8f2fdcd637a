// Compare speed and memory on a large vulnerability-report pair (~5,000 packages, ~20,000 matches),
// measured against anchors taken in the same run: JSON.parse of both documents and jsondiffpatch's diff.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { create } from 'jsondiffpatch'
import { compareManifest, emptyCoverage } from '../src/compare/compare.ts'
import { emptyNoiseIndex } from '../src/compare/attribute.ts'
import { DEFAULT_RULES } from '../src/compare/rules.ts'
import { reencode } from '../test/unit/compare/mutate.ts'
import { syntheticVulnerabilityReport } from '../test/unit/compare/synthetic.ts'
import type { VulnerabilityReport } from '../src/clair/types.ts'
import type { CompareContext } from '../src/compare/compare.ts'

export interface BenchFigure {
  name: string
  value: number
  unit: string
  anchor: string
  anchorValue: number
  ratio: number
  goal: string
  met: boolean
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** Median of runs, each from a collected heap so one run's garbage is not billed to the next. */
function time(runs: number, fn: () => unknown): number {
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    gc()
    const t = performance.now()
    fn()
    out.push(performance.now() - t)
  }
  return median(out)
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export default async function bench(): Promise<BenchFigure[]> {
  const production = syntheticVulnerabilityReport({
    packages: 5000,
    matchesPerPackage: 4,
    seed: 7,
    descriptionLength: 300,
  })
  // The canary: the same content re-encoded (new ids, order, empty forms) plus a few real differences.
  const canary = reencode(production, 11)
  const pkgIds = Object.keys(canary.packages ?? {})
  for (const id of pkgIds.slice(0, 5)) {
    delete canary.packages?.[id]
    delete canary.environments?.[id]
    delete canary.package_vulnerabilities?.[id]
  }
  const texts = [JSON.stringify(production), JSON.stringify(canary)]
  const bytes = Buffer.byteLength(texts[0] as string) + Buffer.byteLength(texts[1] as string)
  const matches = Object.values(production.package_vulnerabilities ?? {}).reduce((n, l) => n + l.length, 0)

  const ctx: CompareContext = {
    rules: DEFAULT_RULES,
    indexStates: {},
    updateOperations: {},
    enrichmentOperations: {},
    today: '2026-06-01',
  }
  const noise = emptyNoiseIndex()
  const [a, b] = texts.map((t) => JSON.parse(t) as VulnerabilityReport) as [
    VulnerabilityReport,
    VulnerabilityReport,
  ]
  const run = () =>
    compareManifest(
      { digest: a.manifest_hash, production: { vulnerability: a }, canary: { vulnerability: b } },
      ctx,
      noise,
    )
  const found = run().differences.length
  if (found !== 5)
    throw new Error(`compare bench: expected the 5 planted removals, found ${found} differences`)

  // The second anchor: jsondiffpatch, the generic JSON differ a user would reach for, with an objectHash by
  // `id` (how its docs say to match array items). On these documents it can only pair map members by key,
  // and every key is a row id that differs between the sides, so what it measures is one structural walk of
  // both documents that reports every package, environment, vulnerability and match list as deleted on one
  // side and added on the other (plus the objectHash's JSON.stringify of the one enrichment object per
  // side): the cost of a generic diff that does not look inside anything, and finds nothing usable.
  const differ = create({ objectHash: (o: object) => (o as { id?: string }).id ?? JSON.stringify(o) })

  for (let i = 0; i < 3; i++) run() // warm up
  differ.diff(a, b) // warm up the anchor too: a cold first run would flatter the ratio
  // Interleaved, so load from other processes hits both sides of each ratio alike.
  const parses: number[] = []
  const compares: number[] = []
  const jdps: number[] = []
  for (let i = 0; i < 7; i++) {
    parses.push(time(1, () => texts.map((t) => JSON.parse(t))))
    compares.push(time(1, run))
    jdps.push(time(1, () => differ.diff(a, b)))
  }
  const parseMs = median(parses)
  const compareMs = median(compares)
  const jdpMs = median(jdps)

  // Peak memory: heap growth over one compare, from a collected heap, without collection in between
  // (young-generation scavenges can only make this smaller than the true total allocated).
  gc()
  const before = process.memoryUsage()
  const result = run()
  const after = process.memoryUsage()
  const heapGrowth = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers)
  void result

  const docs = `${(bytes / 1e6).toFixed(1)} MB, 2×${pkgIds.length} packages, 2×${matches} matches`
  const figures: BenchFigure[] = [
    {
      name: `compare vulnerability report pair (${docs})`,
      value: round(compareMs),
      unit: 'ms',
      anchor: 'JSON.parse of both documents',
      anchorValue: round(parseMs),
      ratio: round(compareMs / parseMs),
      goal: '≤ 0.5× parse time',
      met: compareMs <= 0.5 * parseMs,
    },
    {
      name: 'compare vs jsondiffpatch diff on the same parsed objects',
      value: round(compareMs),
      unit: 'ms',
      anchor: 'jsondiffpatch diff (objectHash by id)',
      anchorValue: round(jdpMs),
      ratio: round(compareMs / jdpMs, 3),
      goal: '≤ 0.2× (at least 5× faster)',
      met: compareMs * 5 <= jdpMs,
    },
    {
      name: 'compare heap growth',
      value: round(heapGrowth / 1e6),
      unit: 'MB',
      anchor: 'size of both documents',
      anchorValue: round(bytes / 1e6),
      ratio: round(heapGrowth / bytes),
      goal: '≤ 4× document size',
      met: heapGrowth <= 4 * bytes,
    },
  ]
  return figures
}

// `npx node bench/compare.bench.ts` prints the figures on its own.
if (import.meta.main) {
  void emptyCoverage
  for (const f of await bench()) console.log(JSON.stringify(f))
}
