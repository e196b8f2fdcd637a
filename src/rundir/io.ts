// Reading and writing run-directory files. The only place that knows JSONL framing.
import { createReadStream } from 'node:fs'
import { mkdir, readFile, writeFile, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import {
  REPORT_STORES,
  RUN_FILES,
  STORE_FILES,
  indexReportFile,
  parseReportFileName,
  reportsDir,
  storeDir,
  vulnerabilityReportFile,
} from './layout.ts'
import type { IndexReport, IndexStateBody, UpdateOperations, VulnerabilityReport } from '../clair/types.ts'
import { join } from 'node:path'
import { reportProblem } from '../clair/shape.ts'
import { UserError, errorMessage } from '../errors.ts'

let writes = 0
/** A temp name of its own for every write: two stages may save the same file at once. */
const tempFor = (path: string) => `${path}.${process.pid}.${++writes}.tmp`

/**
 * Readies a run directory for a run, a merge or a compare: what an earlier one left (its files and report
 * stores) is removed, so no stale report is ever compared or shown. Callers check every input first: this is
 * the point after which the previous results are gone. `stores: false` leaves no empty report stores behind
 * (compare writes results only).
 */
export async function prepareRunDir(runDir: string, opts: { stores?: boolean } = {}): Promise<void> {
  await mkdir(runDir, { recursive: true })
  await rm(reportsDir(runDir), { recursive: true, force: true })
  await Promise.all(Object.values(RUN_FILES).map((f) => rm(join(runDir, f), { force: true })))
  if (opts.stores !== false)
    for (const store of REPORT_STORES) await mkdir(storeDir(runDir, store), { recursive: true })
}

/** Writes JSON atomically (temp file + rename) so a crash never leaves half a file behind. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeJsonText(path, JSON.stringify(value, null, 2) + '\n')
}

/** Writes JSON text as it is (a report as it arrived), atomically. */
export async function writeJsonText(path: string, text: string): Promise<void> {
  const tmp = tempFor(path)
  try {
    await writeFile(tmp, text)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // The folder is made when a write finds it missing, not checked before every write: a replay writes a
    // report per request, and each check is a system call.
    await mkdir(dirname(path), { recursive: true })
    await writeFile(tmp, text)
  }
  await rename(tmp, path)
}

/** A report into its store: the bytes that arrived (`text`) when there are some, else the report's JSON. */
export async function writeReport(
  store: string,
  report: 'index' | 'vulnerability',
  digest: string,
  body: unknown,
  text?: string,
): Promise<void> {
  const file = report === 'index' ? indexReportFile(store, digest) : vulnerabilityReportFile(store, digest)
  await writeJsonText(file, text ?? JSON.stringify(body))
}

export async function writeJsonl(path: string, rows: Iterable<unknown>): Promise<void> {
  let text = ''
  for (const row of rows) text += JSON.stringify(row) + '\n'
  await writeJsonText(path, text)
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T
}

export async function readJsonIfExists<T>(path: string): Promise<T | undefined> {
  try {
    return await readJson<T>(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Streams a JSONL file; yields [lineNumber, parsed]. Blank lines are skipped. */
export async function* readJsonl(path: string): AsyncGenerator<[number, unknown]> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  let n = 0
  for await (const line of lines) {
    n++
    if (line.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (error) {
      throw new SyntaxError(`${path}:${n}: not JSON (${(error as Error).message})`)
    }
    yield [n, parsed]
  }
}

/**
 * A JSONL file of the run directory, whole (none when it is absent). Run directories are handed to compare and
 * merge by users, so a line that is not JSON, a row `check` refuses, or a file that cannot be read is a UserError
 * prefixed with the command: `command: <path>:<line>: ...` or `command: <path> is unreadable: ...`.
 */
export async function readJsonlRows<T>(
  path: string,
  command: string,
  check?: { valid: (row: unknown) => row is T; refusal: string },
): Promise<T[]> {
  if (!(await stat(path).catch(() => undefined))?.isFile()) return []
  const rows: T[] = []
  try {
    for await (const [n, row] of readJsonl(path)) {
      if (check && !check.valid(row)) throw new UserError(`${command}: ${path}:${n}: ${check.refusal}`)
      rows.push(row as T)
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    // readJsonl's message names the file and the line already.
    if (error instanceof SyntaxError) throw new UserError(`${command}: ${error.message}`)
    throw new UserError(`${command}: ${path} is unreadable: ${errorMessage(error)}`)
  }
  return rows
}

/** A report store: sha256-<hex>.index.json / .vuln.json plus optional index state and update operations. */
export interface ReportStore {
  dir: string
  digests: string[]
  indexReport(digest: string): Promise<IndexReport | undefined>
  vulnerabilityReport(digest: string): Promise<VulnerabilityReport | undefined>
  indexState?: IndexStateBody
  updateOperations?: UpdateOperations
  enrichmentUpdateOperations?: UpdateOperations
}

/** A store that does not exist holds no reports (a run directory missing one side's store); one that cannot be
 * listed is a UserError naming it. */
export async function openReportStore(dir: string): Promise<ReportStore> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw new UserError(`report store ${dir} cannot be read: ${errorMessage(error)}`)
  })
  const digests = new Set<string>()
  for (const name of names) {
    const parsed = parseReportFileName(name)
    if (parsed) digests.add(parsed.digest)
  }
  return {
    dir,
    digests: [...digests].sort(),
    indexReport: (digest) => readReport<IndexReport>(indexReportFile(dir, digest), 'index', digest),
    vulnerabilityReport: (digest) =>
      readReport<VulnerabilityReport>(vulnerabilityReportFile(dir, digest), 'vulnerability', digest),
    indexState: await readStoreObject<IndexStateBody>(join(dir, STORE_FILES.indexState)),
    updateOperations: await readStoreObject<UpdateOperations>(join(dir, STORE_FILES.updateOperations)),
    enrichmentUpdateOperations: await readStoreObject<UpdateOperations>(
      join(dir, STORE_FILES.enrichmentUpdateOperations),
    ),
  }
}

/**
 * A store file as JSON, or undefined when it does not exist. Anything else that is wrong with it (a directory,
 * a symlink loop, truncated or binary content) is a UserError naming the file: stores are often handed to us.
 */
async function readStoreFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UserError(`report store file ${path} cannot be read: ${errorMessage(error)}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new UserError(`report store file ${path} is not JSON (truncated or not a report?)`)
  }
}

async function readStoreObject<T>(path: string): Promise<T | undefined> {
  const value = await readStoreFile(path)
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`report store file ${path} is not a JSON object`)
  return value as T
}

async function readReport<T>(
  path: string,
  kind: 'index' | 'vulnerability',
  digest: string,
): Promise<T | undefined> {
  const value = await readStoreFile(path)
  if (value === undefined) return undefined
  const problem = reportProblem(kind, value, digest)
  if (problem)
    throw new UserError(`report store file ${path} is not the ${kind} report of ${digest}: ${problem}`)
  return value as T
}

/** A run directory's report stores, opened: each side's reports and its re-reads. */
export async function openRunStores(runDir: string): Promise<{
  stores: { production: ReportStore; canary: ReportStore }
  rereads: { production: ReportStore; canary: ReportStore }
}> {
  const [production, canary, productionReread, canaryReread] = await Promise.all(
    REPORT_STORES.map((store) => openReportStore(storeDir(runDir, store))),
  )
  return {
    stores: { production: production!, canary: canary! },
    rereads: { production: productionReread!, canary: canaryReread! },
  }
}

/** Sides whose store lacks update_operations.json: their vulnerability differences cannot be told from drift. */
export function sidesWithoutUpdateOperations(stores: {
  production: Pick<ReportStore, 'updateOperations'>
  canary: Pick<ReportStore, 'updateOperations'>
}): Array<'production' | 'canary'> {
  return (['production', 'canary'] as const).filter((side) => stores[side].updateOperations === undefined)
}
