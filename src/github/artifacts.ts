// Artifacts: the whole run directory as one zip, and report.html on its own (skipArchive) so it opens in
// the browser. Upload failures are warnings. assertNoSecrets is the last look before anything leaves.
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { secretEncodings } from '../clair/redact.ts'
import { RUN_FILES } from '../rundir/layout.ts'
import { errorMessage } from '../errors.ts'
import type { Logger } from '../log.ts'

export interface UploadOptions {
  retentionDays?: number
  compressionLevel?: number
  skipArchive?: boolean
}

/** @actions/artifact's DefaultArtifactClient fits this. */
export interface ArtifactUploader {
  uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: UploadOptions,
  ): Promise<{ id?: number; size?: number; digest?: string }>
}

export interface UploadedArtifact {
  name: string
  id?: number
  size?: number
  /** Where a person downloads it; absent when the upload gave no id. */
  url?: string
}

export interface ArtifactTarget {
  serverUrl: string
  owner: string
  repo: string
  runId: number
}

// The artifact service rejects these in names (@actions/artifact path-and-artifact-name-validation).
const INVALID_NAME = /[":<>|*?\\/\r\n]/g

/** A valid artifact name: forbidden characters become '-', and shard or matrix legs get a suffix. */
export function artifactName(
  base: string,
  leg: { shard?: { index: number; total: number }; matrix?: Record<string, unknown> } = {},
): string {
  const parts = [base.trim() || 'clair-canary']
  if (leg.shard && leg.shard.total > 1) parts.push(`shard-${leg.shard.index + 1}-of-${leg.shard.total}`)
  if (leg.matrix) {
    // Like codeql-action's getArtifactSuffix: values in key order, so every leg gets a stable, distinct name.
    for (const key of Object.keys(leg.matrix).sort()) {
      const value = leg.matrix[key]
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        parts.push(String(value))
    }
  }
  return parts.join('-').replace(INVALID_NAME, '-').slice(0, 200)
}

export function artifactUrl(target: ArtifactTarget, id: number): string {
  return `${target.serverUrl}/${target.owner}/${target.repo}/actions/runs/${target.runId}/artifacts/${id}`
}

/** Every file under dir, recursively, without our temp files. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

export interface UploadRunOptions {
  uploader: ArtifactUploader
  runDir: string
  /** Already made valid with artifactName(). */
  name: string
  retentionDays?: number
  /**
   * Also upload report.html on its own (default true). A leg of a sharded run does not: its report is partial,
   * and the merge job's download pattern must match run directories only.
   */
  report?: boolean
  target: ArtifactTarget
  log: Logger
}

/** Uploads the run directory and report.html. Never throws: a failed upload is a warning and is left out. */
export async function uploadRunArtifacts(
  opts: UploadRunOptions,
): Promise<{ run?: UploadedArtifact; report?: UploadedArtifact }> {
  const { uploader, runDir, name, target, log } = opts
  const retention = opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}
  const out: { run?: UploadedArtifact; report?: UploadedArtifact } = {}
  const done = (artifactName: string, res: { id?: number; size?: number }): UploadedArtifact => ({
    name: artifactName,
    ...(res.id !== undefined ? { id: res.id, url: artifactUrl(target, res.id) } : {}),
    ...(res.size !== undefined ? { size: res.size } : {}),
  })

  try {
    const files = await listFiles(runDir)
    const res = await uploader.uploadArtifact(name, files, runDir, { ...retention })
    out.run = done(name, res)
    log.info(`Uploaded the run directory as artifact ${name} (${files.length} files)`)
  } catch (error) {
    log.warning(`The run directory was not uploaded as an artifact: ${errorMessage(error)}`)
  }

  if (opts.report === false) return out
  // With skipArchive the artifact is named after the file, so the file gets the (unique) artifact name.
  const reportName = `${name}-report.html`
  let staging: string | undefined
  try {
    staging = await mkdtemp(join(tmpdir(), 'clair-canary-report-'))
    const file = join(staging, reportName)
    await copyFile(join(runDir, RUN_FILES.html), file)
    const res = await uploader.uploadArtifact(reportName, [file], staging, {
      ...retention,
      skipArchive: true,
    })
    out.report = done(reportName, res)
  } catch (error) {
    log.warning(`report.html was not uploaded on its own: ${errorMessage(error)}`)
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true })
  }
  return out
}

/**
 * Uploads the run's history record (history.json) on its own, as `name`, kept 90 days (GitHub shortens that to
 * the repository's limit): later runs read it back. Never throws: a failed upload is a warning.
 */
export async function uploadHistoryRecord(opts: {
  uploader: ArtifactUploader
  runDir: string
  name: string
  log: Logger
}): Promise<UploadedArtifact | undefined> {
  let staging: string | undefined
  try {
    // With skipArchive the artifact is named after its file.
    staging = await mkdtemp(join(tmpdir(), 'clair-canary-history-'))
    const file = join(staging, opts.name)
    await copyFile(join(opts.runDir, RUN_FILES.history), file)
    const res = await opts.uploader.uploadArtifact(opts.name, [file], staging, {
      retentionDays: 90,
      skipArchive: true,
    })
    opts.log.info(`Uploaded the history record as artifact ${opts.name}`)
    return { name: opts.name, ...(res.id !== undefined ? { id: res.id } : {}) }
  } catch (error) {
    opts.log.warning(`The history record was not uploaded: ${errorMessage(error)}`)
    return undefined
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true })
  }
}

/** A secret we must not publish, by name for the error message (its value is never printed). */
export interface NamedSecret {
  name: string
  value: string
}

/** The forms a secret takes when written by JSON, URLs or base64. */

/**
 * Throws (an internal error: this is our bug, not the user's) when any file under dir contains a secret the run
 * knew, naming the file and the secret's name, never its value. Secrets shorter than 4 characters are not
 * searched for: they would match everywhere.
 */
export async function assertNoSecrets(dir: string, secrets: Array<string | NamedSecret>): Promise<void> {
  const needles = secrets
    .map((s, i) => (typeof s === 'string' ? { name: `secret #${i + 1}`, value: s } : s))
    .filter((s) => s.value.length >= 4)
    .map((s) => ({ name: s.name, forms: secretEncodings(s.value).map((f) => Buffer.from(f)) }))
  if (needles.length === 0) return
  const leaks: string[] = []
  for (const file of await listFiles(dir)) {
    const content = await readFile(file)
    for (const needle of needles) {
      if (needle.forms.some((form) => content.includes(form)))
        leaks.push(`${relative(dir, file)} contains ${needle.name}`)
    }
  }
  if (leaks.length) throw new Error(`refusing to publish: ${leaks.join('; ')}`)
}
