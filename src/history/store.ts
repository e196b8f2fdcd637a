// Where history records live: earlier runs' artifacts (the action) or a local directory (the CLI). A record
// is one small JSON file, uploaded on its own (skipArchive) so reading one back is a single download.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserError, errorMessage } from '../errors.ts'
import type { Logger } from '../log.ts'
import { parseHistoryRecord, type HistoryRecord } from './record.ts'

/** A history record file: history.json in a run directory, or <time>-<commit>.history.json in a history dir. */
const RECORD_FILE = /(^|\.)history\.json$/

async function readRecordFile(path: string): Promise<HistoryRecord> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new UserError(`history record ${path}: expected a JSON file (${errorMessage(error)})`)
  }
  return parseHistoryRecord(value, path)
}

/** Every record under dir (downloaded run directories included); an absent dir holds none yet. */
export async function readHistoryDir(dir: string): Promise<HistoryRecord[]> {
  let names: string[]
  try {
    names = await readdir(dir, { recursive: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new UserError(`input history-dir ${dir}: expected a directory (${errorMessage(error)})`)
  }
  const files = names.filter((n) => RECORD_FILE.test(n.split('/').pop() ?? '')).sort()
  return Promise.all(files.map((f) => readRecordFile(join(dir, f))))
}

/** Adds a record to a history directory, named so that a listing sorts by time. */
export async function saveToHistoryDir(dir: string, record: HistoryRecord): Promise<string> {
  await mkdir(dir, { recursive: true })
  const name = `${record.time.replace(/[:.]/g, '-')}-${record.commit.slice(0, 12) || 'unknown'}.history.json`
  const path = join(dir, name)
  await writeFile(path, JSON.stringify(record, null, 2) + '\n')
  return path
}

// --- Artifacts ---------------------------------------------------------------------------------------------

/** One element of GET /repos/{owner}/{repo}/actions/artifacts. */
export interface ListedArtifact {
  id: number
  name: string
  expired: boolean
  created_at: string | null
  workflow_run?: {
    id?: number
    repository_id?: number
    head_repository_id?: number
    head_branch?: string
  } | null
}

/** The few calls reading history needs; Octokit and @actions/artifact fit it (see githubHistoryApi). */
export interface HistoryArtifactsApi {
  /** One page (1-based) of the repository's artifacts with exactly this name, newest first. */
  list(name: string, page: number): Promise<{ total: number; artifacts: ListedArtifact[] }>
  /** Downloads one artifact into dir. */
  download(artifact: ListedArtifact, dir: string): Promise<void>
}

const PER_PAGE = 100
/** A history never needs more than this many pages of one name: 300 runs back. */
const MAX_PAGES = 3

/**
 * The artifact names of a run's record. Nights and other runs are named apart so that the last N nights can be
 * listed without downloading every push in between (the listing does not say which event made an artifact).
 */
export function historyArtifactName(base: string, event: string): string {
  return `${base}-history${event === 'schedule' ? '-nights' : ''}.json`
}

/**
 * The newest records of `branches` (at most `depth` per branch and name), read from earlier runs' artifacts of
 * this repository. Forks' artifacts are left out: a fork's branch may share a name with ours. An artifact that
 * cannot be downloaded or read is a warning, not an error: the others still make a history.
 */
export async function readHistoryArtifacts(opts: {
  api: HistoryArtifactsApi
  base: string
  branches: string[]
  depth: number
  log: Logger
}): Promise<HistoryRecord[]> {
  const { api, log } = opts
  const chosen: ListedArtifact[] = []
  for (const name of [historyArtifactName(opts.base, 'push'), historyArtifactName(opts.base, 'schedule')]) {
    const left = new Map(opts.branches.map((b) => [b, opts.depth]))
    for (let page = 1; page <= MAX_PAGES && [...left.values()].some((n) => n > 0); page++) {
      const { total, artifacts } = await api.list(name, page)
      for (const a of artifacts) {
        const run = a.workflow_run
        const branch = run?.head_branch ?? ''
        if (a.expired || run?.head_repository_id !== run?.repository_id) continue
        const n = left.get(branch)
        if (!n) continue
        left.set(branch, n - 1)
        chosen.push(a)
      }
      if (page * PER_PAGE >= total || artifacts.length === 0) break
    }
  }
  const staging = await mkdtemp(join(tmpdir(), 'clair-canary-history-'))
  try {
    const records: HistoryRecord[] = []
    for (const artifact of chosen) {
      const dir = join(staging, String(artifact.id))
      try {
        await api.download(artifact, dir)
        const got = await readHistoryDirStrict(dir)
        records.push(...got)
      } catch (error) {
        log.warning(
          `history: artifact ${artifact.name} (id ${artifact.id}) was not read: ${errorMessage(error)}`,
        )
      }
    }
    return records
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/** A downloaded history artifact: the file it holds, whatever its name, must be a record. */
async function readHistoryDirStrict(dir: string): Promise<HistoryRecord[]> {
  const names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.json'))
  if (names.length === 0) throw new Error(`it holds no JSON file`)
  return Promise.all(names.map((n) => readRecordFile(join(dir, n))))
}

/** Octokit (listArtifactsForRepo) and @actions/artifact (downloadArtifact) as a HistoryArtifactsApi. */
export function githubHistoryApi(opts: {
  listArtifactsForRepo: (params: {
    owner: string
    repo: string
    name: string
    per_page: number
    page: number
  }) => Promise<{ data: { total_count: number; artifacts: ListedArtifact[] } }>
  downloadArtifact: (
    id: number,
    options: {
      path: string
      findBy: { token: string; workflowRunId: number; repositoryOwner: string; repositoryName: string }
    },
  ) => Promise<unknown>
  owner: string
  repo: string
  token: string
}): HistoryArtifactsApi {
  return {
    list: async (name, page) => {
      const { data } = await opts.listArtifactsForRepo({
        owner: opts.owner,
        repo: opts.repo,
        name,
        per_page: PER_PAGE,
        page,
      })
      return { total: data.total_count, artifacts: data.artifacts }
    },
    download: async (artifact, dir) => {
      const runId = artifact.workflow_run?.id
      if (runId === undefined) throw new Error('the listing names no workflow run')
      await opts.downloadArtifact(artifact.id, {
        path: dir,
        findBy: {
          token: opts.token,
          workflowRunId: runId,
          repositoryOwner: opts.owner,
          repositoryName: opts.repo,
        },
      })
    },
  }
}
