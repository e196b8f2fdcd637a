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
// The jsondiffpatch anchor does the same work as the compare: Clair's ids differ between deployments, so a differ
// that matched by id would see every object deleted and added and never look inside one. The anchor first puts
// each report in content form (every id reference replaced by the object it names, ids dropped: packages carry
// their environments and their vulnerabilities, and every list of objects keyed by the identity fields: name,
// version, package database), so jsondiffpatch matches objects by content and walks inside every one. The bench checks it
// finds the 5 planted removals, as the compare does. On "mixed versions" it also reports every empty-form flip
// the compare equates: its answer is noisier, its work the same.
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

type Json = Record<string, unknown>

/** Every `id` field dropped, at any depth: ids are row numbers, not content. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value === null || typeof value !== 'object') return value
  const out: Json = {}
  for (const [k, v] of Object.entries(value)) if (k !== 'id') out[k] = withoutIds(v)
  return out
}

/**
 * The report with every id reference replaced by what it names, each list of objects keyed by what identifies
 * the object (name, version, package database; a repeated key gets a number): what a generic differ needs to
 * match objects by content and look inside each.
 */
function contentForm(r: VulnerabilityReport): Json {
  // Reports stored by other claircore versions write an empty list or map as null, [] or {}.
  const list = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : [])
  const map = (x: unknown): Json => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {})
  const vulnerability = (id: string): Json => withoutIds(map(r.vulnerabilities)[id]) as Json
  return {
    manifest_hash: r.manifest_hash,
    packages: keyed(
      Object.entries(map(r.packages)).map(([id, p]) => ({
        ...(withoutIds(p) as Json),
        environments: keyed(
          list<Json>(map(r.environments)[id]).map(({ distribution_id, repository_ids, ...e }) => ({
            ...e,
            distribution: distribution_id
              ? withoutIds(map(r.distributions)[distribution_id as string])
              : null,
            repositories: list<string>(repository_ids).map((x) => withoutIds(map(r.repository)[x])),
          })),
        ),
        vulnerabilities: keyed(list<string>(map(r.package_vulnerabilities)[id]).map(vulnerability)),
      })),
    ),
    // Enrichments are keyed by vulnerability id: keyed by the vulnerability itself instead.
    enrichments: Object.fromEntries(
      Object.entries(map(r.enrichments)).map(([kind, values]) => [
        kind,
        keyed(
          list<unknown>(values).flatMap((byId) =>
            Object.entries(map(byId)).map(([id, value]) => ({ vulnerability: vulnerability(id), value })),
          ),
        ),
      ]),
    ),
  }
}

/** Objects keyed by what identifies them, as the compare keys them: name, version, package database. */
function keyed(objects: Json[]): Json {
  const out: Json = {}
  for (const o of objects) {
    const nested = (k: string) => ((o[k] as Json | undefined)?.['name'] as string | undefined) ?? ''
    const key = [
      o['kind'],
      o['name'],
      o['version'],
      o['package_db'],
      o['introduced_in'],
      o['fixed_in_version'],
      nested('vulnerability'),
      nested('package'),
    ]
      .filter((x) => typeof x === 'string' && x !== '')
      .join(' ')
    let unique = key
    for (let i = 2; unique in out; i++) unique = `${key} #${i}`
    out[unique] = o
  }
  return out
}

/** The package keys a jsondiffpatch delta of two content forms lists as removed ([old, 0, 0]). */
function removedPackages(delta: unknown): string[] {
  const packages = (delta as Json | undefined)?.['packages'] as Json | undefined
  return Object.entries(packages ?? {})
    .filter(([, v]) => Array.isArray(v) && v.length === 3 && v[1] === 0 && v[2] === 0)
    .map(([, v]) => String(((v as unknown[])[0] as Json)['name']))
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
  const planted: string[] = []
  for (const id of pkgIds.slice(0, 5)) {
    planted.push(canary.packages?.[id]?.name ?? '')
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

  const differ = create()
  const diffByContent = (x: VulnerabilityReport, y: VulnerabilityReport) =>
    differ.diff(contentForm(x), contentForm(y))
  for (let i = 0; i < 3; i++) run()
  const removed = removedPackages(diffByContent(a, b))
  if (removed.length !== 5 || !planted.every((name) => removed.includes(name)))
    throw new Error(
      `compare bench (${label}): the anchor found ${removed.length} removals, not the 5 planted`,
    )
  const parses: number[] = []
  const compares: number[] = []
  const jdps: number[] = []
  // Interleaved, median of 5: a shared machine's noise falls on all three alike.
  for (let i = 0; i < 5; i++) {
    parses.push(time(() => texts.map((t) => JSON.parse(t) as unknown)))
    compares.push(time(run))
    jdps.push(time(() => diffByContent(a, b)))
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
        files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as VulnerabilityReport),
      )
      if (removedPackages(diffByContent(p!, c!)).length !== 5)
        throw new Error(`compare bench (${label}): anchor from files`)
    }
    await fromStores()
    await anchorFromFiles()
    for (let i = 0; i < 3; i++) {
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
      anchor: 'jsondiffpatch by content (ids resolved, keyed by identity), same parsed objects',
      anchorValue: round(jdpMs),
      ratio: round(compareMs / jdpMs, 3),
      goal: 'ratio ≤ 0.2 (5× faster)',
      met: compareMs * 5 <= jdpMs,
    },
    {
      name: `compare from stored reports, ${label}`,
      value: round(storedMs),
      unit: 'ms',
      anchor: 'jsondiffpatch doing the same work: read, parse, resolve ids, diff by content',
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
