// The aggregate job of a sharded run (../shared/github/ACTIONS.md section 6): the legs' run directories become one
// run directory that looks like one run, so it is compared and judged once. This module only merges; it never
// judges. What makes the legs not one run (a digest replayed by two legs, a canary or vulnerability data that
// changed between legs) is returned as conflicts, for the caller to refuse a silent pass.
import { copyFile, mkdir, readFile, readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { UserError, errorMessage } from '../errors.ts'
import { openReportStore, prepareRunDir, readJsonlRows, writeJson, writeJsonl } from '../rundir/io.ts'
import {
  REPORT_STORES,
  RUN_FILES,
  STORE_FILES,
  parseReportFileName,
  reportsDir,
  storeDir,
} from '../rundir/layout.ts'
import type { IndexStateBody, UpdateOperations } from '../clair/types.ts'
import type { ManifestRecord, RunInfo, SampledManifest, Side, SideInfo } from '../rundir/types.ts'
import { latestOperations } from '../clair/operations.ts'

export interface MergeOutcome {
  /** The merged run.json, as written into the output directory. */
  run: RunInfo
  /** records.jsonl of every leg, one per digest, in leg order. */
  records: ManifestRecord[]
  /** One line each: why the legs are not one run. Empty when they are. */
  conflicts: string[]
}

interface Leg {
  dir: string
  /** How messages name it: "shard 2 of 4 (dir)" or the directory. */
  label: string
  run: RunInfo
  sample: SampledManifest[]
  records: ManifestRecord[]
  /** store name -> file names in reports/<store>. */
  stores: Map<string, string[]>
  /** Every digest the leg holds a sample line, record or report of. */
  digests: Set<string>
}

const COPY_CONCURRENCY = 16
const DUPLICATES_NAMED = 5

/**
 * Merges run directories into `out`. Each of `dirs` is a run directory (it holds run.json) or a folder whose
 * subfolders are run directories (as actions/download-artifact leaves several artifacts). A digest held by two legs
 * is taken from the first (in shard order) and reported as a conflict; so are legs that saw a different index
 * state, updater fingerprint, canary revision or seed. Legs missing from a sharded run are recorded in run.json
 * `incomplete`. A directory that is missing, holds no run directory, or has an unreadable file is a UserError.
 */
export async function mergeRunDirs(dirs: string[], out: string): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new UserError('merge: no run directories given')
  const runDirs = await findRunDirs(dirs)
  const outPath = resolve(out)
  for (const dir of [...dirs, ...runDirs])
    if (resolve(dir) === outPath)
      throw new UserError(`merge: the output directory ${out} is also an input; merge into another directory`)

  const legs = await Promise.all(runDirs.map(loadLeg))
  legs.sort(
    (a, b) =>
      (a.run.shard?.index ?? Number.MAX_SAFE_INTEGER) - (b.run.shard?.index ?? Number.MAX_SAFE_INTEGER) ||
      (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0),
  )

  const conflicts: string[] = []
  const owner = new Map<string, Leg>()
  for (const leg of legs) {
    const twice = new Map<Leg, string[]>()
    for (const digest of [...leg.digests].sort()) {
      const first = owner.get(digest)
      if (!first) owner.set(digest, leg)
      else push(twice, first, digest)
    }
    for (const [first, digests] of twice) conflicts.push(duplicated(digests, first, leg))
  }
  const owned = (leg: Leg, digest: string) => owner.get(digest) === leg

  const sample: SampledManifest[] = []
  const records: ManifestRecord[] = []
  for (const leg of legs) {
    for (const line of leg.sample) if (owned(leg, line.manifest.hash)) sample.push(line)
    for (const record of leg.records) if (owned(leg, record.digest)) records.push(record)
  }
  const sampleSeen = new Set<string>()
  const recordSeen = new Set<string>()
  const uniqueSample = sample.filter(
    (s) => !sampleSeen.has(s.manifest.hash) && !!sampleSeen.add(s.manifest.hash),
  )
  const uniqueRecords = records.filter((r) => !recordSeen.has(r.digest) && !!recordSeen.add(r.digest))

  conflicts.push(...legConflicts(legs))
  for (const side of ['canary', 'production'] as const) conflicts.push(...(await sideConflicts(legs, side)))

  const run = mergeRunInfo(legs)
  await checkStores(legs, owned)
  await prepareRunDir(out)
  await writeJsonl(join(out, RUN_FILES.sample), uniqueSample)
  await writeJsonl(join(out, RUN_FILES.records), uniqueRecords)
  await copyStores(legs, out, owned)
  await writeJson(join(out, RUN_FILES.run), run)
  return { run, records: uniqueRecords, conflicts }
}

/** Resolves each argument to run directories: itself if it holds run.json, else its subfolders that do. */
async function findRunDirs(dirs: string[]): Promise<string[]> {
  const found: string[] = []
  for (const dir of dirs) {
    const st = await stat(dir).catch(() => undefined)
    if (!st?.isDirectory())
      throw new UserError(`merge: ${dir} is not a directory (expected a run directory or a folder of them)`)
    if (await isFile(join(dir, RUN_FILES.run))) {
      found.push(dir)
      continue
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      throw new UserError(`merge: cannot read ${dir}: ${errorMessage(error)}`)
    })
    const inside: string[] = []
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1)))
      if (await isFile(join(dir, entry.name, RUN_FILES.run))) inside.push(join(dir, entry.name))
    if (inside.length === 0)
      throw new UserError(
        `merge: ${dir} holds no run directory (no ${RUN_FILES.run} in it or one level down)`,
      )
    found.push(...inside)
  }
  const seen = new Set<string>()
  return found.filter((dir) => !seen.has(resolve(dir)) && !!seen.add(resolve(dir)))
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}

async function loadLeg(dir: string): Promise<Leg> {
  const runPath = join(dir, RUN_FILES.run)
  let run: RunInfo
  try {
    run = JSON.parse(await readFile(runPath, 'utf8')) as RunInfo
  } catch (error) {
    throw new UserError(`merge: ${runPath} is unreadable: ${errorMessage(error)}`)
  }
  if (typeof run !== 'object' || run === null || run.schema !== 'clair-canary/run/v1')
    throw new UserError(`merge: ${runPath} is not a clair-canary/run/v1 run.json`)
  const shard = run.shard
  const label = shard ? `shard ${shard.index + 1} of ${shard.total} (${dir})` : dir

  const refusal = 'a line without a manifest digest'
  const sample = await readJsonlRows(join(dir, RUN_FILES.sample), 'merge', {
    valid: (row): row is SampledManifest =>
      typeof (row as SampledManifest | null)?.manifest?.hash === 'string',
    refusal,
  })
  const records = await readJsonlRows(join(dir, RUN_FILES.records), 'merge', {
    valid: (row): row is ManifestRecord => typeof (row as ManifestRecord | null)?.digest === 'string',
    refusal,
  })
  const stores = new Map<string, string[]>()
  const reports = reportsDir(dir)
  const storeNames = new Set<string>(REPORT_STORES)
  for (const entry of await readdir(reports, { withFileTypes: true }).catch(() => []))
    if (entry.isDirectory()) storeNames.add(entry.name)
  for (const name of storeNames) {
    const entries = await readdir(join(reports, name), { withFileTypes: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new UserError(`merge: cannot read ${join(reports, name)}: ${errorMessage(error)}`)
    })
    const files = entries.filter((e) => e.isFile() && !e.name.endsWith('.tmp')).map((e) => e.name)
    if (files.length > 0) stores.set(name, files.sort())
  }
  const digests = new Set<string>([...sample.map((s) => s.manifest.hash), ...records.map((r) => r.digest)])
  for (const files of stores.values())
    for (const file of files) {
      const parsed = parseReportFileName(file)
      if (parsed) digests.add(parsed.digest)
    }
  return { dir, label, run, sample, records, stores, digests }
}

/** Legs that can't be parts of one run: different seeds or shard totals, one shard index twice. */
function legConflicts(legs: Leg[]): string[] {
  const conflicts: string[] = []
  const seeds = group(legs, (leg) => leg.run.seed)
  if (seeds.size > 1)
    conflicts.push(
      `the legs drew their samples with different seeds (${describe(seeds)}), so their parts are not one sample`,
    )
  const sharded = legs.filter((leg) => leg.run.shard)
  const totals = group(sharded, (leg) => String(leg.run.shard!.total))
  if (totals.size > 1) conflicts.push(`the legs were split into different shard totals (${describe(totals)})`)
  for (const [index, same] of group(sharded, (leg) => String(leg.run.shard!.index)))
    if (same.length > 1)
      conflicts.push(
        `shard index ${index} appears ${same.length} times: ${same.map((l) => l.dir).join(', ')}`,
      )
  return conflicts
}

/**
 * One side's index state, updater and enricher fingerprints and revision must be the same in every leg that knows
 * them: a canary that changed during the run (or vulnerability data that moved) must not be judged silently.
 * The store files (index_state.json, update_operations.json) decide; run.json `sides` stands in when they are absent.
 */
async function sideConflicts(legs: Leg[], side: Side): Promise<string[]> {
  const conflicts: string[] = []
  const seen = await Promise.all(legs.map((leg) => sideSeen(leg, side)))
  const states = new Map<string, Leg[]>()
  const revisions = new Map<string, Leg[]>()
  legs.forEach((leg, i) => {
    const { indexState, revision } = seen[i]!
    if (indexState !== undefined) push(states, indexState, leg)
    if (revision !== undefined) push(revisions, revision, leg)
  })
  if (states.size > 1) conflicts.push(`the ${side}'s index state differs between legs: ${describe(states)}`)
  if (revisions.size > 1)
    conflicts.push(`the ${side}'s revision differs between legs: ${describe(revisions)}`)
  for (const kind of ['updater', 'enricher'] as const) {
    const known = legs.flatMap((leg, i) => {
      const fingerprints = kind === 'updater' ? seen[i]!.updaters : seen[i]!.enrichers
      return fingerprints ? [{ leg, fingerprints }] : []
    })
    const names = new Set(known.flatMap((k) => Object.keys(k.fingerprints)))
    for (const name of [...names].sort()) {
      const values = new Map<string, Leg[]>()
      for (const { leg, fingerprints } of known) push(values, fingerprints[name] ?? '(absent)', leg)
      if (values.size > 1)
        conflicts.push(`the ${side}'s ${kind} ${name} has different latest fingerprints: ${describe(values)}`)
    }
  }
  return conflicts
}

interface SideSeen {
  indexState?: string
  revision?: string
  updaters?: Record<string, string>
  enrichers?: Record<string, string>
}

async function sideSeen(leg: Leg, side: Side): Promise<SideSeen> {
  const store = storeDir(leg.dir, side)
  const info: SideInfo | undefined = leg.run.sides?.[side]
  const seen: SideSeen = {}
  const state = await readStoreFile<IndexStateBody>(leg, store, STORE_FILES.indexState)
  const indexState = typeof state?.state === 'string' ? state.state : info?.index_state
  if (indexState !== undefined) seen.indexState = indexState
  if (info?.version?.revision !== undefined) seen.revision = info.version.revision
  const ops = await readStoreFile<UpdateOperations>(leg, store, STORE_FILES.updateOperations)
  const updaters = ops ? latestFingerprints(ops) : fingerprintsOf(info?.updaters)
  if (updaters) seen.updaters = updaters
  const enrich = await readStoreFile<UpdateOperations>(leg, store, STORE_FILES.enrichmentUpdateOperations)
  const enrichers = enrich ? latestFingerprints(enrich) : fingerprintsOf(info?.enrichers)
  if (enrichers) seen.enrichers = enrichers
  return seen
}

async function readStoreFile<T>(leg: Leg, store: string, name: string): Promise<T | undefined> {
  if (!leg.stores.get(basename(store))?.includes(name)) return undefined
  const path = join(store, name)
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (error) {
    throw new UserError(`merge: ${path} is unreadable: ${errorMessage(error)}`)
  }
}

/** updater -> fingerprint of its newest operation (Clair lists them newest first; the date decides if not). */
function latestFingerprints(ops: UpdateOperations): Record<string, string> {
  return Object.fromEntries(
    Object.entries(latestOperations(ops)).map(([name, op]) => [name, String(op.fingerprint)]),
  )
}

function fingerprintsOf(
  known: Record<string, { fingerprint: string }> | undefined,
): Record<string, string> | undefined {
  if (!known) return undefined
  return Object.fromEntries(Object.entries(known).map(([name, v]) => [name, v.fingerprint]))
}

/** The legs' run.json as one: first leg's config and sides, times spanning all, counts and timings summed. */
function mergeRunInfo(legs: Leg[]): RunInfo {
  const first = legs[0]!.run
  const starts = legs.map((l) => l.run.started_at).filter((t) => typeof t === 'string')
  const ends = legs.map((l) => l.run.finished_at).filter((t): t is string => typeof t === 'string')
  const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b)

  const sample: RunInfo['sample'] = { source: first.sample?.source ?? '', requested: 0, drawn: 0 }
  let stale: number | undefined
  for (const { run } of legs) {
    sample.requested += run.sample?.requested ?? 0
    sample.drawn += run.sample?.drawn ?? 0
    if (run.sample?.strata) sample.strata = sumInto(sample.strata ?? {}, run.sample.strata)
    if (run.sample?.skipped) sample.skipped = sumInto(sample.skipped ?? {}, run.sample.skipped)
    if (run.sample?.stale !== undefined) stale = (stale ?? 0) + run.sample.stale
  }
  if (stale !== undefined) sample.stale = stale

  let timings: Record<string, number> = {}
  for (const { run } of legs) timings = sumInto(timings, run.timings ?? {})

  const incomplete = new Map<string, { stage: string; reason: string; legs: string[] }>()
  for (const leg of legs)
    for (const entry of leg.run.incomplete ?? []) {
      const key = JSON.stringify([entry.stage, entry.reason])
      const at = incomplete.get(key) ?? { ...entry, legs: [] }
      at.legs.push(leg.run.shard ? `shard ${leg.run.shard.index + 1} of ${leg.run.shard.total}` : leg.dir)
      incomplete.set(key, at)
    }
  const merged: Array<{ stage: string; reason: string }> = [...incomplete.values()].map((e) => ({
    stage: e.stage,
    reason: legs.length > 1 ? `${e.reason} (${e.legs.join(', ')})` : e.reason,
  }))
  const missing = missingShards(legs)
  if (missing) merged.push({ stage: 'merge', reason: missing })
  // A leg that was killed, or lost its records, is missing evidence however good its reports look.
  for (const leg of legs) {
    const name = leg.run.shard ? `shard ${leg.run.shard.index + 1} of ${leg.run.shard.total}` : leg.dir
    if (leg.run.finished_at === undefined)
      merged.push({ stage: 'merge', reason: `${name} did not finish (its run.json has no finished_at)` })
    if (leg.records.length === 0 && (leg.sample.length > 0 || leg.digests.size > 0))
      merged.push({ stage: 'merge', reason: `${name} has no records.jsonl rows for its manifests` })
  }

  const { shard: _shard, ...rest } = first
  const run: RunInfo = {
    ...rest,
    started_at: starts.sort(byTime)[0] ?? first.started_at,
    sample,
    timings,
    incomplete: merged,
  }
  const finished = ends.sort(byTime).at(-1)
  if (finished !== undefined) run.finished_at = finished
  else delete run.finished_at
  return run
}

/** "shards 2 and 4 of 4 are missing…" when legs of a sharded run did not come, else undefined. */
function missingShards(legs: Leg[]): string | undefined {
  const total = legs.find((l) => l.run.shard)?.run.shard?.total
  if (total === undefined) return undefined
  const present = new Set(legs.filter((l) => l.run.shard?.total === total).map((l) => l.run.shard!.index))
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !present.has(i))
  if (missing.length === 0) return undefined
  const which = missing.map((i) => i + 1).join(', ')
  return `${missing.length === 1 ? 'shard' : 'shards'} ${which} of ${total} ${missing.length === 1 ? 'is' : 'are'} missing: the merged run holds ${present.size} of ${total} legs`
}

/**
 * Reads every store file the merged run will hold, as judging will: a leg's broken report is found before `out`
 * is touched, so a bad input never costs the previous merge its results.
 */
async function checkStores(legs: Leg[], owned: (leg: Leg, digest: string) => boolean): Promise<void> {
  for (const leg of legs)
    for (const name of leg.stores.keys()) {
      const store = await openReportStore(join(reportsDir(leg.dir), name))
      for (const digest of store.digests)
        if (owned(leg, digest)) {
          await store.indexReport(digest)
          await store.vulnerabilityReport(digest)
        }
    }
}

/**
 * Copies every store file by file: a digest's reports from the leg that owns it, index_state.json and the
 * update operations (and anything else) from the first leg that has them.
 */
async function copyStores(legs: Leg[], out: string, owned: (leg: Leg, digest: string) => boolean) {
  const copies: Array<[string, string]> = []
  const taken = new Set<string>()
  for (const leg of legs)
    for (const [store, files] of leg.stores) {
      const from = join(reportsDir(leg.dir), store)
      const to = join(reportsDir(out), store)
      for (const file of files) {
        const report = parseReportFileName(file)
        if (report && !owned(leg, report.digest)) continue
        const key = `${store}/${file}`
        if (taken.has(key)) continue
        taken.add(key)
        copies.push([join(from, file), join(to, file)])
      }
    }
  const stores = new Set(copies.map(([, to]) => join(to, '..')))
  for (const dir of stores) await mkdir(dir, { recursive: true })
  let next = 0
  const worker = async () => {
    while (next < copies.length) {
      const [from, to] = copies[next++]!
      try {
        await copyFile(from, to)
      } catch (error) {
        throw new UserError(`merge: cannot copy ${from}: ${errorMessage(error)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, copies.length) }, worker))
}

/** One line for every digest two legs both hold (a few named), however many there are. */
function duplicated(digests: string[], first: Leg, leg: Leg): string {
  if (digests.length === 1) return `${digests[0]} is in ${first.label} and in ${leg.label}; the first is kept`
  const named = digests.slice(0, DUPLICATES_NAMED).join(', ')
  const more = digests.length > DUPLICATES_NAMED ? ` and ${digests.length - DUPLICATES_NAMED} more` : ''
  return `${digests.length} manifests are in ${first.label} and in ${leg.label} (${named}${more}); the first is kept`
}

function sumInto(into: Record<string, number>, add: Record<string, number>): Record<string, number> {
  for (const [key, n] of Object.entries(add)) if (typeof n === 'number') into[key] = (into[key] ?? 0) + n
  return into
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) push(out, key(item), item)
  return out
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** '"abc" in shard 1 of 2 (a); "def" in shard 2 of 2 (b)' */
function describe(values: Map<string, Leg[]>): string {
  return [...values]
    .map(([value, legs]) => `${JSON.stringify(value)} in ${legs.map((l) => l.label).join(', ')}`)
    .join('; ')
}
