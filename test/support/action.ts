// The bundled action (dist/index.js) started the way the runner starts a `node24` action: inputs as INPUT_<NAME>
// variables, outputs and the job summary through the files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, the REST API at
// the URL given (the GitHub REST stand-in), in a fresh work directory.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const DIST = join(import.meta.dirname, '../../dist/index.js')
/** The commit the action runs for (its check run's head_sha). */
export const ACTION_SHA = 'abc123abc123abc123abc123abc123abc123abcd'

export interface SpawnedAction {
  child: ChildProcess
  /** The work directory: the run directory defaults to <work>/run. */
  work: string
  files: { output: string; summary: string; event: string }
}

export async function spawnAction(inputs: Record<string, string>, apiUrl: string): Promise<SpawnedAction> {
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-action-'))
  const files = {
    output: join(work, 'output'),
    summary: join(work, 'summary'),
    event: join(work, 'event.json'),
  }
  await writeFile(files.output, '')
  await writeFile(files.summary, '')
  await writeFile(files.event, JSON.stringify({ after: ACTION_SHA }))
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: work,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'quay/clair',
    GITHUB_SHA: ACTION_SHA,
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKFLOW_REF: 'quay/clair/.github/workflows/canary.yml@refs/heads/main',
    GITHUB_WORKSPACE: work,
    RUNNER_TEMP: work,
  }
  for (const [name, value] of Object.entries({ 'run-dir': join(work, 'run'), ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value
  const child = spawn(process.execPath, [DIST], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
  return { child, work, files }
}

/** Parses the GITHUB_OUTPUT file format (name<<delimiter ... delimiter). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const value: string[] = []
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]!)
    out[m[1]!] = value.join('\n')
  }
  return out
}
