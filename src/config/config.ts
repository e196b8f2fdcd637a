// Builds the one typed Config from action inputs or CLI flags (same names, see ./inputs.ts). Every error is a
// UserError naming the input and what was expected; nothing here prints a secret.
import { access, constants, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { UserError } from '../errors.ts'
import { redactUri } from '../clair/redact.ts'
import { sameServer } from './same-server.ts'
import { decodePsk } from '../clair/jwt.ts'
import { DEFAULT_RULES, MIN_NIGHTS } from './default-rules.ts'
import { INPUTS } from './inputs.ts'
import { layerUriOptions } from './layers.ts'
import { annotationPath } from './env.ts'
import { httpUrl } from './url.ts'
import { parseSamplerSettings } from './sampler.ts'
import { fraction, integer, nonNegative, oneOf, parseBoolean, positive, seconds } from './values.ts'
import { Secret } from '../secret.ts'
import { parseShard } from '../shard/partition.ts'
import type { ClairTarget } from '../clair/client.ts'
import type {
  Config,
  HistoryOptions,
  JudgeConfig,
  MergeConfig,
  Rules,
  SampleConfig,
  SourceConfig,
} from './types.ts'

/** Reads one input by name; '' or undefined means "not given". */
export type InputReader = (name: string) => string | undefined

const DEFAULTS = new Map(INPUTS.map((i) => [i.name, i.default]))
const KNOWN = new Set(INPUTS.map((i) => i.name))
/** GitHub ends a job after 6 hours: a run that cannot finish in that time is misconfigured. */
const MAX_RUN_SECONDS = 6 * 3600
/** Production is never load-tested, whatever the user asks. */
export const MAX_PRODUCTION_RATE = 50

export interface BuiltConfig<C = Config> {
  config: C
  /** Every secret value the run knows, to mask in logs and to scan for in outputs. */
  secrets: string[]
}

export interface BuildOptions {
  cwd?: string
  /** 'action' checks the publishing inputs too; the CLI publishes nothing. */
  context?: 'action' | 'cli'
  env?: NodeJS.ProcessEnv
  /** How messages name inputs a CLI command takes as its own flags, e.g. run-dir as "merge: --out". */
  names?: Partial<Record<'rules' | 'run-dir', string>>
}

/** Reads inputs by name with action.yml's defaults, and collects the secrets it hands out. */
function inputs(read: InputReader) {
  const secrets: string[] = []
  const get = (name: string): string => {
    if (!KNOWN.has(name)) throw new Error(`internal: unknown input ${name}`)
    const given = read(name)?.trim()
    const value = given === undefined || given === '' ? (DEFAULTS.get(name) ?? '') : given
    // The action.yml default for token is an expression; outside Actions it arrives literally.
    return value.startsWith('${{') ? '' : value
  }
  const mask = (value: string): void => {
    if (value && !secrets.includes(value)) secrets.push(value)
  }
  const secret = (name: string): string => {
    const value = get(name)
    mask(value)
    return value
  }
  return { get, secret, mask, secrets }
}

type Inputs = ReturnType<typeof inputs>

/** The merge directories when this is the aggregate job of a sharded run, else undefined. */
export function mergeInput(read: InputReader): string[] | undefined {
  const dirs = (read('merge') ?? '')
    .split('\n')
    .map((d) => d.trim())
    .filter(Boolean)
  return dirs.length > 0 ? dirs : undefined
}

/** What the action builds from its inputs: the merge job's config when `merge` is given, else a run's. */
export async function buildActionConfig(
  read: InputReader,
  opts: BuildOptions = {},
): Promise<BuiltConfig<Config | MergeConfig>> {
  const built = mergeInput(read) !== undefined ? buildMergeConfig : buildConfig
  return built(read, { ...opts, context: 'action' })
}

/** The aggregate job of a sharded run: only what judging and publishing need. */
export async function buildMergeConfig(
  read: InputReader,
  opts: BuildOptions = {},
): Promise<BuiltConfig<MergeConfig>> {
  const cwd = opts.cwd ?? process.cwd()
  const i = inputs(read)
  const merge = mergeInput(read)
  if (!merge)
    throw new UserError('input merge: expected the directories of the run directories to merge, one per line')
  const env = opts.env ?? process.env
  const judging = await judgeConfig(i, cwd, opts, env)
  return {
    config: {
      ...judging,
      merge: merge.map((d) => resolve(cwd, d)),
      // The merged run is the whole run: it keeps the one history record, and is judged against earlier ones.
      ...(parseBoolean('history', i.get('history'))
        ? { history: await historyOptions(i.get, env, cwd, opts.context) }
        : {}),
    },
    secrets: i.secrets,
  }
}

export async function buildConfig(read: InputReader, opts: BuildOptions = {}): Promise<BuiltConfig> {
  const cwd = opts.cwd ?? process.cwd()
  const env = opts.env ?? process.env
  const i = inputs(read)
  const { get, secret } = i

  const canaryPsk = secret('canary-psk')
  const productionPsk = secret('production-psk') || canaryPsk
  const issuer = get('issuer')
  if (!/^[\x21-\x7e]+$/.test(issuer))
    throw new UserError(`input issuer: expected a non-empty token, got ${JSON.stringify(issuer)}`)

  const target = (side: 'canary' | 'production', psk: string, pskInput: string): ClairTarget => {
    const url = httpUrl(`${side}-url`, get(`${side}-url`), true)!
    const introspectionUrl = httpUrl(`${side}-introspection-url`, get(`${side}-introspection-url`), false)
    return {
      side,
      url,
      ...(introspectionUrl ? { introspectionUrl } : {}),
      ...(psk ? { psk: new Secret(decodePsk(psk, pskInput)) } : {}),
      issuer,
    }
  }
  const canary = target('canary', canaryPsk, 'canary-psk')
  const production = target(
    'production',
    productionPsk,
    get('production-psk') ? 'production-psk' : 'canary-psk',
  )
  // The canary is written to (POST, and DELETE with delete-first); production never is.
  if (await sameServer(canary.url, production.url))
    throw new UserError(
      `inputs canary-url and production-url name the same Clair (${redactUri(canary.url)} and ${redactUri(production.url)} reach one address, port and path): the canary is written to, production never is`,
    )

  const expectRevision = get('expect-revision')
  if (expectRevision && !/^[0-9a-f]{7,64}$/i.test(expectRevision))
    throw new UserError(
      `input expect-revision: expected a commit sha (7 to 64 hex digits), got ${JSON.stringify(expectRevision)}`,
    )
  if (expectRevision && !canary.introspectionUrl)
    throw new UserError(
      'input expect-revision needs canary-introspection-url (the revision is read from its /metrics)',
    )

  const source = await sourceConfig(i, cwd, env)
  const rate = positive('rate', get('rate'))
  const concurrency = integer('concurrency', get('concurrency'), 1, 10_000)
  const productionRate = positive('production-rate', get('production-rate'))
  if (productionRate > MAX_PRODUCTION_RATE)
    throw new UserError(
      `input production-rate: at most ${MAX_PRODUCTION_RATE} requests per second (production is read-only and never load-tested), got ${productionRate}`,
    )

  const shard = parseShard(get('shard-index'), get('shard-total'))
  // A leg holds part of the evidence: its record would be a partial run's, beside the merge job's whole one.
  if (shard && parseBoolean('history', get('history')))
    throw new UserError(
      'input history: a leg of a sharded run keeps no history; give history to the merge job (input merge), which keeps one record for the whole run',
    )
  // Legs cannot see each other's requests: the cap holds in every second only if each leg's share is a whole
  // request per second or more (src/replay/limiter.ts).
  if (shard && productionRate < shard.total)
    throw new UserError(
      `input production-rate: the ${shard.total} legs of a sharded run share it and each needs at least 1 request per second, so it must be at least ${shard.total}, got ${productionRate}`,
    )
  // Every leg of a matrix must draw the same sample before taking its part of it.
  // Not the attempt: a leg re-run after a failure must draw the sample its sibling legs drew.
  const runId = env['GITHUB_RUN_ID'] ? `github-run-${env['GITHUB_RUN_ID']}` : ''
  const seed = get('seed') || (shard ? runId : '') || randomBytes(8).toString('hex')
  if (shard && !seed)
    throw new UserError(
      'input seed is required with shard-total outside GitHub Actions: every leg must draw the same sample',
    )

  const sampleSize = parseSampleSize(get)
  // A rate that could never get through the sample within a job's time is a mistake, not a slow run.
  const perLeg = sampleSize / (shard?.total ?? 1)
  for (const [name, value, requests] of [
    ['rate', rate, perLeg],
    ['production-rate', productionRate / (shard?.total ?? 1), 2 * perLeg],
  ] as const)
    if (requests / value > MAX_RUN_SECONDS)
      throw new UserError(
        `input ${name}: ${Math.round(requests)} requests at ${value} per second would take ${Math.round(requests / value / 3600)} h, longer than a job may run (${MAX_RUN_SECONDS / 3600} h); raise ${name} or lower sample-size`,
      )

  const config: Config = {
    ...(await judgeConfig(i, cwd, opts, env)),
    seed,
    canary,
    production,
    ...(expectRevision ? { expectRevision: expectRevision.toLowerCase() } : {}),
    readiness: { timeoutMs: seconds('ready-timeout', get('ready-timeout')) * 1000, pollMs: 2000 },
    source,
    sampleSize,
    publishRepositoryNames: parseBoolean('publish-repository-names', get('publish-repository-names')),
    client: {
      timeouts: {
        indexMs: seconds('index-timeout', get('index-timeout')) * 1000,
        otherMs: seconds('request-timeout', get('request-timeout')) * 1000,
      },
      retry: {
        maxAttempts: integer('max-attempts', get('max-attempts'), 1, 20),
        baseDelayMs: 250,
        maxDelayMs: 10_000,
        budgetMs: seconds('retry-budget', get('retry-budget'), 0) * 1000,
      },
      maxResponseBytes:
        positive('max-response-mb', get('max-response-mb'), {
          max: 512,
          why: 'a body is held and parsed in memory, and V8 strings end near 512 MiB',
        }) *
        1024 *
        1024,
      // Fewer sockets than requests in flight would queue inside our client and show up as canary latency.
      connections: Math.max(16, concurrency + 2),
    },
    replay: {
      rate,
      concurrency,
      productionRate,
      deleteFirst: parseBoolean('delete-first', get('delete-first')),
      rereadFraction: fraction('reread-fraction', get('reread-fraction')),
      earlyStop: parseBoolean('early-stop', get('early-stop')),
    },
    ...(shard ? { shard } : {}),
    signals: signalsOptions(get),
    ...(parseBoolean('history', get('history'))
      ? { history: await historyOptions(get, env, cwd, opts.context) }
      : {}),
  }
  return { config, secrets: i.secrets }
}

/** Rules, thresholds and publishing: shared by a run and a merge. */
async function judgeConfig(
  i: Inputs,
  cwd: string,
  { context, names }: BuildOptions,
  env: NodeJS.ProcessEnv,
): Promise<JudgeConfig> {
  const named = (input: 'rules' | 'run-dir') => names?.[input] ?? `input ${input}`
  const { get, secret } = i
  const rulesFile = get('rules')
  const rules = rulesFile
    ? await readRules(resolve(cwd, rulesFile), rulesFile, named('rules'))
    : DEFAULT_RULES
  const token = secret('token')
  const checkName = get('check-name')
  if (checkName.length === 0 || checkName.length > 100)
    throw new UserError(`input check-name: expected 1 to 100 characters, got ${checkName.length}`)
  const retention = get('retention-days')
  const retentionDays = retention ? integer('retention-days', retention, 1, 90) : undefined
  const checks = parseBoolean('checks', get('checks'))
  if (context === 'action' && checks && !token)
    throw new UserError(
      'input token is empty but checks is true: pass token: ${{ github.token }} with permissions checks: write, or set checks: false',
    )
  const runDir = resolve(cwd, get('run-dir'))
  await writableDir(named('run-dir'), get('run-dir'), runDir)
  return {
    runDir,
    rules,
    ...(rulesFile ? { rulesFile } : {}),
    github: {
      ...(token ? { token: new Secret(token) } : {}),
      checks,
      checkName,
      conclusions: {
        pass: 'success',
        fail: 'failure',
        inconclusive: oneOf('inconclusive-conclusion', get('inconclusive-conclusion'), [
          'neutral',
          'failure',
          'action_required',
          'skipped',
        ] as const),
      },
      annotations: parseBoolean('annotations', get('annotations')),
      artifacts: parseBoolean('artifacts', get('artifacts')),
      artifactName: get('artifact-name'),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
      annotationPath: annotationPath(env, rulesFile || undefined),
    },
    failOn: { inconclusive: parseBoolean('fail-on-inconclusive', get('fail-on-inconclusive')) },
  }
}

/** History depth and directory, and where this run sits: its branch, commit and event, from GitHub's variables. */
async function historyOptions(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  context: BuildOptions['context'],
): Promise<HistoryOptions> {
  const depth = integer('history-depth', get('history-depth'), MIN_NIGHTS, 90)
  const dirInput = get('history-dir')
  if (!dirInput && context !== 'action')
    throw new UserError(
      'input history needs history-dir outside GitHub Actions (a directory of history records)',
    )
  const dir = dirInput ? resolve(cwd, dirInput) : undefined
  if (dir && dirInput) await writableDir('input history-dir', dirInput, dir)
  const runId = Number(env['GITHUB_RUN_ID'])
  return {
    depth,
    ...(dir ? { dir } : {}),
    // A pull request's runs are its head branch's (GITHUB_REF_NAME is "<n>/merge" there).
    branch: env['GITHUB_HEAD_REF'] || env['GITHUB_REF_NAME'] || 'local',
    defaultBranch: (await eventDefaultBranch(env['GITHUB_EVENT_PATH'])) ?? 'main',
    commit: env['GITHUB_SHA'] ?? '',
    event: env['GITHUB_EVENT_NAME'] || 'manual',
    ...(Number.isInteger(runId) && runId > 0 ? { runId } : {}),
  }
}

/** repository.default_branch of the event that started the workflow, when there is one. */
async function eventDefaultBranch(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined
  try {
    const event = JSON.parse(await readFile(path, 'utf8')) as { repository?: { default_branch?: unknown } }
    const branch = event.repository?.default_branch
    return typeof branch === 'string' && branch !== '' ? branch : undefined
  } catch {
    return undefined
  }
}

function signalsOptions(get: (name: string) => string): Config['signals'] {
  const url = (name: string) => httpUrl(name, get(name), false, 'e.g. http://prometheus.example:9090')
  const prometheusUrl = url('prometheus-url')
  const alertmanagerUrl = url('alertmanager-url')
  const pushgatewayUrl = url('pushgateway-url')
  const incubationMs = nonNegative('incubation', get('incubation')) * 1000
  if (incubationMs > 0 && !alertmanagerUrl)
    throw new UserError('input incubation needs alertmanager-url (it is time spent watching alerts)')
  return {
    ...(prometheusUrl ? { prometheusUrl } : {}),
    ...(alertmanagerUrl ? { alertmanagerUrl } : {}),
    ...(pushgatewayUrl ? { pushgatewayUrl } : {}),
    incubationMs,
  }
}

async function sourceConfig(i: Inputs, cwd: string, env: NodeJS.ProcessEnv): Promise<SourceConfig> {
  const { get, secret } = i
  const manifests = get('manifests')
  const dsn = secret('quay-db-dsn')
  if (manifests && dsn)
    throw new UserError('inputs manifests and quay-db-dsn: give one manifest source, not both')
  const layers = layerUriOptions(i, env)
  // A sample file keeps each blob's storage, so its layer URLs can be signed again with these.
  if (manifests) {
    if (parseBoolean('current-index-state-only', get('current-index-state-only')))
      throw new UserError(
        'input current-index-state-only applies to a sample drawn from quay-db-dsn; a manifests file is replayed as it is',
      )
    const path = resolve(cwd, manifests)
    await readableFile('manifests', manifests, path, 'a JSONL file of manifests')
    return { kind: 'jsonl', path, layers }
  }
  if (!dsn)
    throw new UserError(
      'no manifest source: set input manifests (a JSONL file) or quay-db-dsn (a Quay read replica)',
    )
  checkDsn(dsn)
  const sampler = parseSamplerSettings(get)
  if ('missing' in layers) throw new UserError(layers.missing)
  return { kind: 'quay-db', dsn: new Secret(dsn), sampler, layers }
}

function parseSampleSize(get: (name: string) => string): number {
  return integer('sample-size', get('sample-size'), 1, 1_000_000)
}

/** `clair-canary sample --out FILE`: the Quay source and what the draw needs, checked as a run's are. */
export async function buildSampleConfig(
  read: InputReader,
  out: string,
  opts: BuildOptions = {},
): Promise<BuiltConfig<SampleConfig>> {
  const cwd = opts.cwd ?? process.cwd()
  const i = inputs(read)
  if (!i.get('quay-db-dsn'))
    throw new UserError('sample: input quay-db-dsn is required (a Quay database read replica)')
  const source = await sourceConfig(i, cwd, opts.env ?? process.env)
  if (source.kind !== 'quay-db') throw new Error('internal: sample needs a quay-db source')
  if (source.sampler.currentIndexStateOnly)
    throw new UserError('sample: current-index-state-only needs production; use it with `clair-canary run`')
  const path = resolve(cwd, out)
  await writableFile('sample: --out', out, path)
  return {
    config: {
      source,
      sampleSize: parseSampleSize(i.get),
      seed: i.get('seed') || randomBytes(8).toString('hex'),
      out: path,
    },
    secrets: i.secrets,
  }
}

/** A rules file, or a UserError naming `what` (the input or flag it came from). */
export async function readRules(path: string, name: string, what = 'input rules'): Promise<Rules> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new UserError(`${what}: cannot read ${JSON.stringify(name)} (expected a YAML rules file)`)
  }
  // The YAML parser is loaded only when there is a rules file.
  const { parseRules } = await import('./rules.ts')
  return parseRules(text, name)
}

/** A UserError naming the input when `path` is a directory or unreadable. */
async function readableFile(name: string, given: string, path: string, what: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  // A missing file is the sample stage's to report (it reads the file before the run directory is touched).
  if (!st) return
  if (st.isDirectory()) throw new UserError(`input ${name}: ${given} is a directory (expected ${what})`)
  if (
    !(await access(path, constants.R_OK).then(
      () => true,
      () => false,
    ))
  )
    throw new UserError(`input ${name}: ${given} is not readable (expected ${what})`)
}

/**
 * A directory we may write (or create under its nearest existing parent). Write permission is tried for real, with
 * a probe directory made and removed at once: root passes every permission check, yet cannot write /proc or a
 * read-only mount. Nothing of the user's is touched. `what` names the input or flag ("input run-dir", "compare: --out").
 */
export async function writableDir(
  what: string,
  given: string,
  path: string,
  from: string = path,
): Promise<void> {
  let at = from
  for (;;) {
    const st = await stat(at).catch(() => undefined)
    if (st && !st.isDirectory())
      throw new UserError(
        at === path
          ? `${what}: ${given} is a file (expected a directory)`
          : `${what}: ${given} is under ${at}, which is a file (expected a directory)`,
      )
    if (st) break
    const parent = dirname(at)
    if (parent === at) break
    at = parent
  }
  const writable = await mkdtemp(join(at, '.clair-canary-probe-')).then(
    (probe) => rm(probe, { recursive: true, force: true }).then(() => true),
    () => false,
  )
  if (!writable) throw new UserError(`${what}: ${given} is not writable (${at} refuses writes)`)
}

/** A file we may create or replace: not a directory, in a directory we may write. */
async function writableFile(what: string, given: string, path: string): Promise<void> {
  if ((await stat(path).catch(() => undefined))?.isDirectory())
    throw new UserError(`${what}: ${given} is a directory (expected a file)`)
  await writableDir(what, given, path, dirname(path))
}

/** A libpq URL of the postgres scheme; the value itself is a secret and never shown. */
function checkDsn(dsn: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(dsn)?.[1]
  if (!scheme)
    throw new UserError(
      /^\s*\w+\s*=/.test(dsn)
        ? 'input quay-db-dsn: key=value connection strings are not supported; give a postgresql:// URL'
        : 'input quay-db-dsn: expected a postgresql:// URL',
    )
  if (!/^postgres(ql)?$/i.test(scheme))
    throw new UserError(`input quay-db-dsn: expected a postgresql:// URL, got a ${scheme}:// one`)
  // As pg reads it (pg-connection-string): spaces and stray '%' encoded, '@/' (a socket path) given a dummy host.
  const url = /\s|%(?![0-9a-f]{2})/i.test(dsn) ? encodeURI(dsn).replace(/%25(\d\d)/g, '%$1') : dsn
  if (!URL.canParse(url) && !URL.canParse(url.replace('@/', '@dummy/')))
    throw new UserError(
      'input quay-db-dsn: not a valid postgresql:// URL (check the host name, and that the port is 1 to 65535)',
    )
}

/** The config as run.json records it: secrets redacted by Secret.toJSON, paths kept. */
export function redactedConfig(config: Config): unknown {
  return JSON.parse(JSON.stringify(config))
}
