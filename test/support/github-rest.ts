// A local stand-in for GitHub's check-runs REST API, and the few repository endpoints the promotion example uses
// (refs, contents, pull requests, commit statuses). Request bodies are validated against the operation's
// requestBody schema in GitHub's own OpenAPI description (@octokit/openapi), plus the limits GitHub states
// only in prose (annotation title ≤ 255, message ≤ 64 KB). Invalid requests get 422, like GitHub, and are
// recorded so tests can assert there were none. Faults: read-only token (403), 5xx once, rate limits.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

export interface RecordedCall {
  method: string
  path: string
  body: unknown
  status: number
  /** Validation errors when the body broke GitHub's schema (the call was answered 422). */
  invalid?: string[]
}

export interface StoredCheckRun {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  output: { title?: string; summary?: string; text?: string }
  /** Every annotation ever sent (GitHub appends them). */
  annotations: Array<Record<string, unknown>>
}

export interface Fault {
  method?: 'POST' | 'PATCH'
  status: number
  /** How many requests it answers (default 1). */
  times?: number
  headers?: Record<string, string>
  message?: string
}

/** One repository: each branch holds its files (path -> text) and its head commit. */
export interface StoredRepo {
  branches: Map<string, { sha: string; files: Map<string, string> }>
}

export interface StoredPull {
  number: number
  title: string
  head: string
  base: string
  body: string
}

export interface StoredStatus {
  sha: string
  state: string
  context: string
  description?: string
  target_url?: string
}

/** An artifact of an earlier workflow run, as list-artifacts shows it; content is what its blob URL serves. */
export interface StoredArtifact {
  id: number
  name: string
  /** The file itself: artifacts uploaded with skipArchive are served as they are, not zipped. */
  content: Buffer
  contentType: string
  created_at: string
  expired: boolean
  workflow_run: {
    id: number
    repository_id: number
    head_repository_id: number
    head_branch: string
    head_sha: string
  }
}

export interface GitHubRestStandIn {
  url: string
  calls: RecordedCall[]
  checkRuns: Map<number, StoredCheckRun>
  /** "owner/repo" -> its branches. */
  repos: Map<string, StoredRepo>
  pulls: Map<string, StoredPull[]>
  statuses: Map<string, StoredStatus[]>
  /** "owner/repo" -> earlier runs' artifacts. */
  artifacts: Map<string, StoredArtifact[]>
  /** Adds an artifact of an earlier run; the id is given out. */
  addArtifact(fullName: string, artifact: Omit<StoredArtifact, 'id'>): StoredArtifact
  /** Adds a repository with one branch holding these files. */
  seedRepo(fullName: string, branch: string, files: Record<string, string>): void
  /** Answer every write with 403 "Resource not accessible by integration", like a read-only GITHUB_TOKEN. */
  readOnly: boolean
  /**
   * false: answer the Actions API (list-artifacts, download) with 403 "Resource not accessible by integration", as
   * GitHub answers a GITHUB_TOKEN of a job whose permissions leave out actions: read.
   */
  actionsRead: boolean
  /** Queued faults, answered before normal handling. */
  faults: Fault[]
  invalidCalls(): RecordedCall[]
  close(): Promise<void>
}

type Operation = { validate: ValidateFunction; properties: Set<string> }
type Operations = Record<
  'create' | 'update' | 'createRef' | 'putContents' | 'createPull' | 'createStatus',
  Operation
>
let operations: Operations | undefined

/** OpenAPI 3.0's `nullable: true` becomes a JSON Schema type union so ajv understands it. */
function fromOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromOpenApi)
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue
    out[key] = fromOpenApi(value)
  }
  const s = schema as { nullable?: boolean; type?: unknown }
  if (s.nullable && typeof s.type === 'string') out['type'] = [s.type, 'null']
  return out
}

function loadOperations(): Operations {
  if (operations) return operations
  const path = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json')
  const spec = JSON.parse(readFileSync(path, 'utf8')) as {
    paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>
  }
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  const compile = (route: string, method: string): Operation => {
    const op = spec.paths[route]?.[method]
    const schema = op?.requestBody.content['application/json']?.schema
    if (!schema) throw new Error(`no requestBody schema for ${method} ${route} in @octokit/openapi`)
    const converted = fromOpenApi(schema) as { properties?: Record<string, unknown> }
    return { validate: ajv.compile(converted), properties: new Set(Object.keys(converted.properties ?? {})) }
  }
  operations = {
    create: compile('/repos/{owner}/{repo}/check-runs', 'post'),
    update: compile('/repos/{owner}/{repo}/check-runs/{check_run_id}', 'patch'),
    createRef: compile('/repos/{owner}/{repo}/git/refs', 'post'),
    putContents: compile('/repos/{owner}/{repo}/contents/{path}', 'put'),
    createPull: compile('/repos/{owner}/{repo}/pulls', 'post'),
    createStatus: compile('/repos/{owner}/{repo}/statuses/{sha}', 'post'),
  }
  return operations
}

const encoder = new TextEncoder()

/** Git's blob id of a text, as GitHub reports a file's sha. */
function blobSha(text: string): string {
  const bytes = Buffer.from(text)
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

function commitSha(): string {
  return randomBytes(20).toString('hex')
}

/** Limits GitHub documents in prose rather than in the schema. */
function proseLimits(body: { output?: { annotations?: Array<Record<string, unknown>> } }): string[] {
  const errors: string[] = []
  for (const [i, a] of (body.output?.annotations ?? []).entries()) {
    const title = a['title']
    if (typeof title === 'string' && [...title].length > 255)
      errors.push(`annotations[${i}].title over 255 characters`)
    for (const field of ['message', 'raw_details']) {
      const v = a[field]
      if (typeof v === 'string' && encoder.encode(v).length > 64 * 1024)
        errors.push(`annotations[${i}].${field} over 64 KB`)
    }
    if (
      a['start_line'] !== a['end_line'] &&
      (a['start_column'] !== undefined || a['end_column'] !== undefined)
    ) {
      errors.push(`annotations[${i}]: columns need start_line == end_line`)
    }
  }
  return errors
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    ...headers,
  })
  res.end(JSON.stringify(body))
}

export async function startGitHubRest(opts: { readOnly?: boolean } = {}): Promise<GitHubRestStandIn> {
  const ops = loadOperations()
  let nextId = 1000
  const standIn: Omit<GitHubRestStandIn, 'url' | 'close'> = {
    calls: [],
    checkRuns: new Map(),
    repos: new Map(),
    pulls: new Map(),
    statuses: new Map(),
    artifacts: new Map(),
    addArtifact: (fullName, artifact) => {
      const stored = { id: nextId++, ...artifact }
      standIn.artifacts.set(fullName, [...(standIn.artifacts.get(fullName) ?? []), stored])
      return stored
    },
    seedRepo: (fullName, branch, files) => {
      standIn.repos.set(fullName, {
        branches: new Map([[branch, { sha: commitSha(), files: new Map(Object.entries(files)) }]]),
      })
    },
    readOnly: opts.readOnly ?? false,
    actionsRead: true,
    faults: [],
    invalidCalls: () => standIn.calls.filter((c) => c.invalid),
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname
    const text = await readBody(req)
    let body: unknown = undefined
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    const call: RecordedCall = { method, path, body, status: 0 }
    standIn.calls.push(call)
    const answer = (status: number, payload: unknown, headers?: Record<string, string>) => {
      call.status = status
      send(res, status, payload, headers)
    }

    // Blob storage: the download URL is presigned, so it takes no token (as GitHub's redirect target).
    const blob = /^\/blobs\/(\d+)$/.exec(path)
    if (blob && method === 'GET') {
      const artifact = [...standIn.artifacts.values()].flat().find((a) => a.id === Number(blob[1]))
      call.status = artifact ? 200 : 404
      if (!artifact) return send(res, 404, { message: 'BlobNotFound' })
      res.writeHead(200, {
        'content-type': artifact.contentType,
        'content-disposition': `attachment; filename=${artifact.name}`,
        'content-length': String(artifact.content.length),
      })
      res.end(artifact.content)
      return
    }
    if (!/^(token|Bearer) \S+$/.test(req.headers.authorization ?? '')) {
      return answer(401, { message: 'Requires authentication', status: '401' })
    }
    const fault = standIn.faults.find((f) => !f.method || f.method === method)
    if (fault) {
      fault.times = (fault.times ?? 1) - 1
      if (fault.times <= 0) standIn.faults.splice(standIn.faults.indexOf(fault), 1)
      return answer(
        fault.status,
        { message: fault.message ?? 'Server Error', status: String(fault.status) },
        fault.headers,
      )
    }

    const artifactAnswer = artifacts(
      method,
      new URL(req.url ?? '/', `http://${req.headers.host ?? 'stand-in'}`),
    )
    if (artifactAnswer) {
      call.status = artifactAnswer.status
      return send(res, artifactAnswer.status, artifactAnswer.body, artifactAnswer.headers)
    }
    const repoAnswer = await repository(method, path, new URL(req.url ?? '/', 'http://stand-in'), body, call)
    if (repoAnswer) return answer(repoAnswer.status, repoAnswer.body)

    const create = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(path)
    const update = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(path)
    const op =
      method === 'POST' && create ? ops.create : method === 'PATCH' && update ? ops.update : undefined
    if (!op) return answer(404, { message: 'Not Found', status: '404' })
    if (standIn.readOnly) {
      return answer(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
        status: '403',
      })
    }

    const invalid: string[] = []
    if (!op.validate(body)) {
      for (const e of op.validate.errors ?? []) invalid.push(`${e.instancePath || '/'} ${e.message ?? ''}`)
    }
    // GitHub ignores unknown fields, but an unknown field is always a typo on our side.
    for (const key of Object.keys((body as object | undefined) ?? {})) {
      if (!op.properties.has(key)) invalid.push(`unknown field ${key}`)
    }
    invalid.push(...proseLimits(body as Parameters<typeof proseLimits>[0]))
    if (invalid.length) {
      call.invalid = invalid
      return answer(422, { message: 'Invalid request', errors: invalid, status: '422' })
    }

    const b = body as {
      name?: string
      head_sha?: string
      status?: string
      conclusion?: string
      output?: StoredCheckRun['output'] & { annotations?: Array<Record<string, unknown>> }
    }
    const owner = (create ?? update)![1]
    const repo = (create ?? update)![2]
    let run: StoredCheckRun | undefined
    if (create) {
      run = {
        id: nextId++,
        name: b.name ?? '',
        head_sha: b.head_sha ?? '',
        status: 'queued',
        conclusion: null,
        output: {},
        annotations: [],
      }
      standIn.checkRuns.set(run.id, run)
    } else {
      run = standIn.checkRuns.get(Number(update![3]))
      if (!run) return answer(404, { message: 'Not Found', status: '404' })
    }
    if (b.conclusion) {
      run.status = 'completed'
      run.conclusion = b.conclusion
    } else if (b.status) {
      run.status = b.status
    }
    if (b.output) {
      const { annotations, ...rest } = b.output
      run.output = { ...run.output, ...rest }
      run.annotations.push(...(annotations ?? []))
    }
    answer(create ? 201 : 200, {
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      html_url: `https://github.example/${owner}/${repo}/runs/${run.id}`,
      output: { ...run.output, annotations_count: run.annotations.length },
    })
  }

  /**
   * GET …/actions/artifacts (newest first, name filter, pages) and GET …/actions/artifacts/{id}/zip (a 302 to the
   * blob, or 410 once expired), as GitHub answers them.
   */
  function artifacts(
    method: string,
    url: URL,
  ): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts(?:\/(\d+)\/(zip))?$/.exec(url.pathname)
    if (!m || method !== 'GET') return undefined
    if (!standIn.actionsRead)
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/actions/artifacts#list-artifacts-for-a-repository',
          status: '403',
        },
      }
    const all = standIn.artifacts.get(`${m[1]}/${m[2]}`) ?? []
    if (m[3]) {
      const artifact = all.find((a) => a.id === Number(m[3]))
      if (!artifact) return { status: 404, body: { message: 'Not Found', status: '404' } }
      if (artifact.expired) return { status: 410, body: { message: 'Artifact has expired', status: '410' } }
      return {
        status: 302,
        body: '',
        headers: { location: `http://${url.host}/blobs/${artifact.id}?sig=presigned` },
      }
    }
    const name = url.searchParams.get('name')
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const page = Number(url.searchParams.get('page') ?? 1)
    const matching = all
      .filter((a) => name === null || a.name === name)
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    const base = `http://${url.host}/repos/${m[1]}/${m[2]}/actions/artifacts`
    return {
      status: 200,
      body: {
        total_count: matching.length,
        artifacts: matching.slice((page - 1) * perPage, page * perPage).map((a) => ({
          id: a.id,
          node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
          name: a.name,
          size_in_bytes: a.content.length,
          url: `${base}/${a.id}`,
          archive_download_url: `${base}/${a.id}/zip`,
          expired: a.expired,
          created_at: a.created_at,
          updated_at: a.created_at,
          expires_at: new Date(Date.parse(a.created_at) + 90 * 86_400_000).toISOString(),
          digest: null,
          workflow_run: a.workflow_run,
        })),
      },
    }
  }

  /** Validates a write against GitHub's schema; the errors, or undefined when it is valid. */
  function invalidBody(op: Operation, body: unknown): string[] | undefined {
    const invalid: string[] = []
    if (!op.validate(body))
      for (const e of op.validate.errors ?? []) invalid.push(`${e.instancePath || '/'} ${e.message ?? ''}`)
    for (const key of Object.keys((body as object | undefined) ?? {}))
      if (!op.properties.has(key)) invalid.push(`unknown field ${key}`)
    return invalid.length ? invalid : undefined
  }

  /** The repository endpoints, or undefined when the path is not one of them. */
  async function repository(
    method: string,
    path: string,
    url: URL,
    body: unknown,
    call: RecordedCall,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/(git\/refs?|contents|pulls|statuses)(?:\/(.*))?$/.exec(path)
    if (!m) return undefined
    const fullName = `${m[1]}/${m[2]}`
    const [, owner, name, kind, rest = ''] = m as unknown as [string, string, string, string, string?]
    const notFound = { status: 404, body: { message: 'Not Found', status: '404' } }
    const write = method !== 'GET'
    if (write && standIn.readOnly)
      return { status: 403, body: { message: 'Resource not accessible by integration', status: '403' } }
    const op =
      method === 'POST' && kind === 'git/refs'
        ? ops.createRef
        : method === 'PUT' && kind === 'contents'
          ? ops.putContents
          : method === 'POST' && kind === 'pulls'
            ? ops.createPull
            : method === 'POST' && kind === 'statuses'
              ? ops.createStatus
              : undefined
    if (write) {
      if (!op) return notFound
      const invalid = invalidBody(op, body)
      if (invalid) {
        call.invalid = invalid
        return { status: 422, body: { message: 'Invalid request', errors: invalid, status: '422' } }
      }
    }
    if (kind === 'statuses' && method === 'POST') {
      const b = body as Omit<StoredStatus, 'sha'>
      const list = standIn.statuses.get(fullName) ?? []
      list.push({ sha: decodeURIComponent(rest), ...b })
      standIn.statuses.set(fullName, list)
      return { status: 201, body: { id: list.length, state: b.state, context: b.context ?? 'default' } }
    }
    const repo = standIn.repos.get(fullName)
    if (!repo) return notFound
    if (kind === 'git/ref' && method === 'GET') {
      const branch = /^heads\/(.+)$/.exec(decodeURIComponent(rest))?.[1]
      const head = branch ? repo.branches.get(branch) : undefined
      if (!head) return notFound
      return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha: head.sha, type: 'commit' } } }
    }
    if (kind === 'git/refs' && method === 'POST') {
      const b = body as { ref: string; sha: string }
      const branch = /^refs\/heads\/(.+)$/.exec(b.ref)?.[1]
      const from = [...repo.branches.values()].find((x) => x.sha === b.sha)
      if (!branch || !from)
        return { status: 422, body: { message: 'Reference update failed', status: '422' } }
      if (repo.branches.has(branch))
        return { status: 422, body: { message: 'Reference already exists', status: '422' } }
      repo.branches.set(branch, { sha: b.sha, files: new Map(from.files) })
      return { status: 201, body: { ref: b.ref, object: { sha: b.sha, type: 'commit' } } }
    }
    if (kind === 'contents') {
      const file = decodeURIComponent(rest)
      if (method === 'GET') {
        const branch = repo.branches.get(url.searchParams.get('ref') ?? 'main')
        const text = branch?.files.get(file)
        if (text === undefined) return notFound
        return {
          status: 200,
          body: {
            type: 'file',
            encoding: 'base64',
            path: file,
            name: file.split('/').pop(),
            sha: blobSha(text),
            content: Buffer.from(text).toString('base64'),
          },
        }
      }
      const b = body as { message: string; content: string; sha?: string; branch?: string }
      const branch = repo.branches.get(b.branch ?? 'main')
      if (!branch) return notFound
      const current = branch.files.get(file)
      if (current !== undefined && b.sha !== blobSha(current))
        return {
          status: 409,
          body: { message: `${file} does not match ${b.sha ?? 'no sha'}`, status: '409' },
        }
      const text = Buffer.from(b.content, 'base64').toString('utf8')
      branch.files.set(file, text)
      branch.sha = commitSha()
      return {
        status: current === undefined ? 201 : 200,
        body: {
          content: { path: file, sha: blobSha(text) },
          commit: { sha: branch.sha, message: b.message },
        },
      }
    }
    if (kind === 'pulls' && method === 'POST') {
      const b = body as { title: string; head: string; base: string; body?: string }
      if (!repo.branches.has(b.head) || !repo.branches.has(b.base))
        return { status: 422, body: { message: 'Validation Failed', status: '422' } }
      const list = standIn.pulls.get(fullName) ?? []
      const pull = { number: list.length + 1, title: b.title, head: b.head, base: b.base, body: b.body ?? '' }
      list.push(pull)
      standIn.pulls.set(fullName, list)
      return {
        status: 201,
        body: {
          number: pull.number,
          html_url: `https://github.example/${owner}/${name}/pull/${pull.number}`,
        },
      }
    }
    return notFound
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  })
}
