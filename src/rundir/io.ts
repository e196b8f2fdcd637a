// Reading and writing run-directory files. The only place that knows JSONL framing.
import { createReadStream } from 'node:fs'
import { mkdir, readFile, writeFile, readdir, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { STORE_FILES, indexReportFile, parseReportFileName, vulnerabilityReportFile } from './layout.ts'
import type { IndexReport, IndexStateBody, UpdateOperations, VulnerabilityReport } from '../clair/types.ts'
import { join } from 'node:path'

let writes = 0
/** A temp name of its own for every write: two stages may save the same file at once. */
const tempFor = (path: string) => `${path}.${process.pid}.${++writes}.tmp`

/** Writes JSON atomically (temp file + rename) so a crash never leaves half a file behind. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = tempFor(path)
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n')
  await rename(tmp, path)
}

export async function writeJsonl(path: string, rows: Iterable<unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = tempFor(path)
  let text = ''
  for (const row of rows) text += JSON.stringify(row) + '\n'
  await writeFile(tmp, text)
  await rename(tmp, path)
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

export async function openReportStore(dir: string): Promise<ReportStore> {
  const names = await readdir(dir)
  const digests = new Set<string>()
  for (const name of names) {
    const parsed = parseReportFileName(name)
    if (parsed) digests.add(parsed.digest)
  }
  return {
    dir,
    digests: [...digests].sort(),
    indexReport: (digest) => readJsonIfExists<IndexReport>(indexReportFile(dir, digest)),
    vulnerabilityReport: (digest) =>
      readJsonIfExists<VulnerabilityReport>(vulnerabilityReportFile(dir, digest)),
    indexState: await readJsonIfExists<IndexStateBody>(join(dir, STORE_FILES.indexState)),
    updateOperations: await readJsonIfExists<UpdateOperations>(join(dir, STORE_FILES.updateOperations)),
    enrichmentUpdateOperations: await readJsonIfExists<UpdateOperations>(
      join(dir, STORE_FILES.enrichmentUpdateOperations),
    ),
  }
}

/** Sides whose store lacks update_operations.json: their vulnerability differences cannot be told from drift. */
export function sidesWithoutUpdateOperations(stores: {
  production: ReportStore
  canary: ReportStore
}): Array<'production' | 'canary'> {
  return (['production', 'canary'] as const).filter((side) => stores[side].updateOperations === undefined)
}
