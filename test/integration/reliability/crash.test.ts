// Crash tests: the CLI and the bundled action, spawned against the Clair stand-ins, are sent SIGTERM, SIGINT, the
// GitHub Actions cancel sequence (SIGINT, then SIGTERM, then SIGKILL, with shorter gaps) or SIGKILL once some
// manifests are done. Production never answers the reads of one manifest (a proxy holds them), and no timeout
// would end them while the test runs: a process that exits has aborted them. Each test checks the run directory
// (the finished records kept, run.json and result.json), the exit code, and for the action the check run's PATCH.
import { after, before, describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import pg from 'pg'
import { startScenario, type Scenario } from '../../../demo/scenario.ts'
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts'
import { startGitHubRest, type GitHubRestStandIn } from '../../support/github-rest.ts'
import { runCli } from '../../support/cli.ts'
import { DIST, spawnAction } from '../../support/action.ts'
import { ACTION_ONLY_INPUTS } from '../../../src/config/inputs.ts'
import type { ManifestRecord, Result, RunInfo } from '../../../src/rundir/types.ts'

const ROOT = join(import.meta.dirname, '../../..')
const CLI = join(ROOT, 'src/cli.ts')
const COUNT = 16
const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz01'

interface Spawned {
  child: ChildProcess
  runDir: string
  /** stdout and stderr so far. */
  output(): string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  summaryFile?: string
}

/** Polls until the condition holds; the bound only keeps a broken build from hanging the suite. */
async function until(
  what: string | (() => string),
  condition: () => boolean | Promise<boolean>,
  run?: Spawned,
  boundMs = 120_000,
) {
  const start = Date.now()
  while (!(await condition())) {
    if (run && (run.child.exitCode !== null || run.child.signalCode !== null))
      throw new Error(`the run ended before: ${typeof what === 'string' ? what : what()}`)
    if (Date.now() - start > boundMs)
      throw new Error(`never happened: ${typeof what === 'string' ? what : what()}`)
    await delay(25)
  }
}

async function lines(path: string): Promise<string[]> {
  if (!existsSync(path)) return []
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')
}

/** Every process a test started: one a failed test leaves running is killed at the end, so it cannot hang the suite. */
const spawned = new Set<ChildProcess>()

function track(child: ChildProcess, runDir: string, summaryFile?: string): Spawned {
  spawned.add(child)
  let out = ''
  child.stdout?.on('data', (b) => (out += b))
  child.stderr?.on('data', (b) => (out += b))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  )
  return { child, runDir, output: () => out, exited, ...(summaryFile ? { summaryFile } : {}) }
}

async function spawnCli(inputs: Record<string, string>): Promise<Spawned> {
  const runDir = join(await mkdtemp(join(tmpdir(), 'clair-canary-crash-')), 'run')
  const args = ['run', '--run-dir', runDir]
  for (const [name, value] of Object.entries(inputs))
    if (value !== '' && !ACTION_ONLY_INPUTS.has(name)) args.push(`--${name}`, value)
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return track(child, runDir)
}

/** The bundled action with a check run, on the GitHub REST stand-in. */
async function startAction(inputs: Record<string, string>, github: GitHubRestStandIn): Promise<Spawned> {
  const runDir = join(await mkdtemp(join(tmpdir(), 'clair-canary-crash-action-')), 'run')
  const all = { ...inputs, 'run-dir': runDir, token: TOKEN, checks: 'true', artifacts: 'false' }
  const { child, files } = await spawnAction(all, github.url)
  return track(child, runDir, files.summary)
}

/**
 * The run's exit. How soon a run exits after a signal depends on the machine (GitHub's runner sends SIGKILL 10 s
 * after its first signal; a loaded 2-core machine may take longer than an idle one): no test asserts it. The bound
 * only keeps a build that never exits from hanging the suite.
 */
async function exitOf(
  run: Spawned,
  boundMs = 120_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exit = await Promise.race([run.exited, delay(boundMs, undefined, { ref: false })])
  if (exit) return exit
  run.child.kill('SIGKILL')
  throw new Error(`still running ${boundMs / 1000} s after the signal: ${run.output()}`)
}

/** Sends a signal unless the process has already ended (a later step of the cancel sequence may find it gone). */
function send(run: Spawned, signal: NodeJS.Signals): boolean {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return false
  return run.child.kill(signal)
}

interface RunFiles {
  records: ManifestRecord[]
  run: RunInfo
  result: Result | undefined
}

async function runFiles(runDir: string): Promise<RunFiles> {
  const records = (await lines(join(runDir, 'records.jsonl'))).map((l) => JSON.parse(l) as ManifestRecord)
  const run = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunInfo
  const resultPath = join(runDir, 'result.json')
  const result = existsSync(resultPath)
    ? (JSON.parse(await readFile(resultPath, 'utf8')) as Result)
    : undefined
  return { records, run, result }
}

/** A finished record: both sides' reports were read (a manifest in flight has only some of its requests). */
function assertFinished(record: ManifestRecord): void {
  for (const side of ['canary', 'production'] as const)
    for (const op of ['index_report', 'vulnerability_report'] as const)
      assert.ok(
        record.requests.some((r) => r.side === side && r.op === op),
        `${record.digest}: ${side} ${op} was read`,
      )
}

describe('crash tests: a signal ends the run promptly, with what it knows', () => {
  let scenario: Scenario
  let production: FaultProxy
  let manifests: string
  let slow: string
  let inputs: Record<string, string>
  /** One line per test, printed at the end: the README's Reliability section quotes them. */
  const figures: string[] = []
  const figure = (what: string, exit: { code: number | null; signal: string | null }, files: RunFiles) =>
    figures.push(
      `  crash: ${what}: exit ${exit.code ?? exit.signal}, ${files.records.length} of ${COUNT} manifests kept, ` +
        `verdict ${files.result?.verdict ?? 'none written'}`,
    )

  before(async () => {
    scenario = await startScenario({ count: COUNT, canaryProfile: 'clean' })
    production = await startFaultProxy(scenario.production.url)
    // The sixth manifest's reports are never served: its reads hang until the run aborts them.
    slow = scenario.manifests[5]!.hash
    production.plant('never-answers', new Set([slow]))
    manifests = join(await mkdtemp(join(tmpdir(), 'clair-canary-crash-manifests-')), 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    inputs = {
      ...scenario.inputs,
      'production-url': production.url,
      manifests,
      seed: 'crash',
      'sample-size': String(COUNT),
      // Two manifests read a second: a few are done while the slow one hangs, and many are still to come.
      'production-rate': '4',
      'early-stop': 'false',
      'reread-fraction': '0',
      // No timeout or retry ends the held reads while the test runs: only the signal does.
      'request-timeout': '3600',
      'max-attempts': '1',
    }
  })
  after(async () => {
    for (const child of spawned)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    if (figures.length > 0) console.log(`crash tests:\n${figures.join('\n')}`)
    await production?.close()
    await scenario?.close()
  })

  /** Waits until at least 3 manifests are done and the slow manifest's read is held by the proxy. */
  async function midReplay(run: Spawned): Promise<void> {
    const records = join(run.runDir, 'records.jsonl')
    await until(
      () => `3 finished manifests and the held read (output so far: ${run.output()})`,
      async () =>
        (await lines(records)).length >= 3 &&
        production.seen.some((s) => s.method === 'GET' && s.path.includes(slow)),
      run,
    )
  }

  /** What every interrupted run leaves: only finished records, a cancelled run.json, a partial result. */
  async function assertCancelled(run: Spawned, signal: NodeJS.Signals, before: number): Promise<RunFiles> {
    const files = await runFiles(run.runDir)
    assert.ok(files.records.length >= before, 'the records finished before the signal are kept')
    assert.ok(files.records.length < COUNT, 'the run did not finish its sample')
    assert.ok(!files.records.some((r) => r.digest === slow), 'the manifest in flight is not recorded')
    for (const r of files.records) assertFinished(r)
    assert.equal(files.run.cancelled?.signal, signal)
    assert.ok(files.run.finished_at, 'run.json is final')
    const replay = files.run.incomplete?.find((s) => s.stage === 'replay')
    assert.equal(
      replay?.reason,
      `cancelled by ${signal} after ${files.records.length} of ${COUNT} manifests finished`,
    )
    assert.ok(files.result, 'result.json is written')
    assert.equal(files.result.verdict, 'inconclusive', 'a cancelled run of a clean canary is inconclusive')
    assert.equal(files.result.counts.manifests, files.records.length)
    assert.ok(
      files.result.reasons.some((r) => r.includes(`stage replay did not complete: cancelled by ${signal}`)),
      files.result.reasons.join('\n'),
    )
    assert.match(await readFile(join(run.runDir, 'summary.md'), 'utf8'), /INCONCLUSIVE/)
    return files
  }

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    test(`CLI, ${signal} mid-replay: exits ${code} with the finished records and a partial verdict`, async () => {
      const run = await spawnCli(inputs)
      await midReplay(run)
      const done = (await lines(join(run.runDir, 'records.jsonl'))).length
      send(run, signal)
      const exit = await exitOf(run)
      assert.deepEqual(exit, { code, signal: null }, run.output())
      const files = await assertCancelled(run, signal, done)
      figure(`CLI, ${signal}`, exit, files)
      assert.equal(files.run.cancelled?.second_signal, false)
      assert.match(run.output(), new RegExp(`received ${signal}: stopping the run`))
      assert.match(run.output(), /verdict: INCONCLUSIVE/, 'the partial verdict is printed')
    })
  }

  test('CLI, the GitHub cancel sequence (SIGINT, then SIGTERM): ends on the first signal, never killed by the second', async () => {
    const run = await spawnCli(inputs)
    await midReplay(run)
    const done = (await lines(join(run.runDir, 'records.jsonl'))).length
    send(run, 'SIGINT')
    // The runner's SIGTERM comes 7.5 s on, when the run has written its partial verdict and is on its way out. Sent
    // once the verdict is printed, it certainly lands after run.json was written (a fixed delay could land mid-run,
    // and then the second signal's 2 s deadline races the writing): it must not turn exit 130 into a kill. The
    // runner's SIGKILL is a deadline, a timing, not a behaviour: the run must exit by itself.
    let closed = false
    void run.exited.then(() => (closed = true))
    await until(
      () => `the partial verdict (output so far: ${run.output()})`,
      () => closed || /verdict: INCONCLUSIVE/.test(run.output()),
    )
    send(run, 'SIGTERM')
    const exit = await exitOf(run)
    assert.deepEqual(exit, { code: 130, signal: null }, run.output())
    const files = await assertCancelled(run, 'SIGINT', done)
    figure('CLI, the cancel sequence', exit, files)
    assert.equal(files.run.cancelled?.second_signal, false, 'the SIGTERM came after run.json was written')
  })

  test('CLI, SIGINT and SIGTERM at once: the second writes what is known and exits with the first code', async () => {
    const run = await spawnCli(inputs)
    await midReplay(run)
    const done = (await lines(join(run.runDir, 'records.jsonl'))).length
    // Both are pending before the run handles either, so the second certainly finds it running. Which one the
    // process takes first is the kernel's and libuv's choice (CI saw SIGTERM first): the first it reports decides.
    send(run, 'SIGINT')
    send(run, 'SIGTERM')
    const exit = await exitOf(run)
    const first = /received (SIGINT|SIGTERM): stopping the run/.exec(run.output())?.[1] as
      NodeJS.Signals | undefined
    assert.ok(first, `the first signal is reported: ${run.output()}`)
    const second = first === 'SIGINT' ? 'SIGTERM' : 'SIGINT'
    assert.deepEqual(exit, { code: first === 'SIGINT' ? 130 : 143, signal: null }, run.output())
    assert.match(run.output(), new RegExp(`received ${second} again: writing what is known and exiting`))
    const files = await runFiles(run.runDir)
    if (!files.run.finished_at) {
      // The second signal's deadline (2 s, ahead of the runner's SIGKILL) came before run.json was written, as it
      // may on a loaded machine: the run says so, and leaves what a SIGKILL would, never a half-written file.
      assert.match(
        run.output(),
        /exiting 2s after the second signal: what was not written by then is left behind/,
      )
      assert.ok(files.records.length >= done && files.records.length < COUNT)
      for (const r of files.records) assertFinished(r)
      figure('CLI, SIGINT and SIGTERM at once (cut short by its deadline)', exit, files)
      return
    }
    const written = await assertCancelled(run, first, done)
    figure('CLI, SIGINT and SIGTERM at once', exit, written)
    assert.equal(written.run.cancelled?.second_signal, true)
  })

  test('CLI, SIGKILL mid-replay: the manifests finished before it are kept in records.jsonl', async () => {
    const run = await spawnCli(inputs)
    await midReplay(run)
    const done = (await lines(join(run.runDir, 'records.jsonl'))).length
    send(run, 'SIGKILL')
    const exit = await exitOf(run)
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' })
    const files = await runFiles(run.runDir)
    figure('CLI, SIGKILL', exit, files)
    assert.ok(files.records.length >= done)
    assert.ok(files.records.length < COUNT)
    for (const r of files.records) assertFinished(r)
    assert.ok(!files.records.some((r) => r.digest === slow))
    assert.equal(files.result, undefined, 'no verdict was written')
    assert.equal(files.run.finished_at, undefined, 'run.json says the run never finished')
    // Re-judged later, the killed run's records are evidence, but what it never finished is not a pass.
    const out = join(run.runDir, '..', 'rejudged')
    const rejudged = await runCli(['compare', '--baseline', run.runDir, '--out', out])
    assert.equal(rejudged.code, 3, rejudged.out + rejudged.err)
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as Result
    assert.equal(result.counts.manifests, files.records.length)
    assert.ok(
      result.reasons.some((r) =>
        r.includes('stage run did not complete: the run did not finish (its run.json has no finished_at)'),
      ),
      result.reasons.join('\n'),
    )
  })

  test('CLI, SIGTERM while waiting for the canary to be ready: exits at once, inconclusive', async (t) => {
    const late = await startScenario({ count: 2, canaryProfile: 'clean', canaryReadyAfterMs: 3_600_000 })
    t.after(() => late.close())
    const introspection = await startFaultProxy(late.canary.introspectionUrl)
    t.after(() => introspection.close())
    const run = await spawnCli({
      ...late.inputs,
      'canary-introspection-url': introspection.url,
      manifests: await writeManifests(late),
      'ready-timeout': '3600',
    })
    await until(
      () => `a readiness poll (output: ${run.output()})`,
      () => introspection.seen.some((s) => s.path.endsWith('/readyz')),
      run,
    )
    send(run, 'SIGTERM')
    const exit = await exitOf(run)
    assert.deepEqual(exit, { code: 143, signal: null }, run.output())
    const files = await runFiles(run.runDir)
    assert.deepEqual(files.records, [])
    assert.deepEqual(
      files.run.incomplete?.find((s) => s.stage === 'target'),
      { stage: 'target', reason: 'cancelled by SIGTERM' },
    )
    assert.equal(files.result?.verdict, 'inconclusive')
  })

  test('CLI, SIGTERM while the sample query waits on the Quay database: the query is cancelled', async (t) => {
    const { db, holder, waiting } = await lockedQuayDatabase(t)
    const run = await spawnCli({ ...db.inputs, 'sample-size': '4' })
    await until(
      () => `the sampler waiting on the lock (output: ${run.output()})`,
      async () => (await waiting()) > 0,
      run,
    )
    send(run, 'SIGTERM')
    const exit = await exitOf(run)
    assert.deepEqual(exit, { code: 143, signal: null }, run.output())
    // Still inside the lock's transaction: the query did not finish, it was cancelled.
    await until('the sampler query to be cancelled', async () => (await waiting()) === 0)
    const files = await runFiles(run.runDir)
    assert.deepEqual(
      files.run.incomplete?.find((s) => s.stage === 'sample'),
      { stage: 'sample', reason: 'cancelled by SIGTERM' },
    )
    assert.equal(files.result?.verdict, 'inconclusive')
    await holder.query('ROLLBACK')
  })

  test('`sample`, SIGTERM while its query waits on the Quay database: cancelled on the server, nothing written', async (t) => {
    const { db, holder, waiting } = await lockedQuayDatabase(t)
    const out = join(await mkdtemp(join(tmpdir(), 'clair-canary-crash-sample-')), 'sample.jsonl')
    const args = ['sample', '--out', out]
    for (const [name, value] of Object.entries(db.inputs))
      if (value !== '' && !ACTION_ONLY_INPUTS.has(name)) args.push(`--${name}`, value)
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const run = track(child, out)
    await until(
      () => `the sampler waiting on the lock (output: ${run.output()})`,
      async () => (await waiting()) > 0,
      run,
    )
    send(run, 'SIGTERM')
    const exit = await run.exited
    assert.deepEqual(exit, { code: 143, signal: null }, run.output())
    // Still inside the lock's transaction: the query did not finish, it was cancelled on the server.
    await until('the sample query to be cancelled', async () => (await waiting()) === 0)
    assert.equal(
      run.output(),
      `clair-canary: sample: cancelled by SIGTERM: the Quay database query was cancelled and nothing was written to ${out}\n`,
    )
    assert.equal(existsSync(out), false, 'no sample file, not even a part of one')
    assert.deepEqual(
      (await readdir(dirname(out))).filter((f) => f.includes('.tmp')),
      [],
      'no temporary file left',
    )
    await holder.query('ROLLBACK')
  })

  describe(
    'the bundled action',
    { skip: existsSync(DIST) ? false : 'dist/index.js is missing: run npm run build' },
    () => {
      let github: GitHubRestStandIn
      before(async () => (github = await startGitHubRest()))
      after(() => github?.close())

      /** The check run's last PATCH, as GitHub received it. */
      function lastPatch(): {
        status?: string
        conclusion?: string
        output?: { title?: string; summary?: string }
      } {
        const patches = github.calls.filter((c) => c.method === 'PATCH')
        return patches.at(-1)?.body ?? {}
      }

      // The cancel sequence's SIGTERM is sent once the action has failed the step (its last line), as the runner's
      // comes 7.5 s on: it certainly lands after the check run was completed, and must not turn exit 130 into a kill.
      // A fixed delay could land mid-run, where the second signal's deadline races the writing. The runner's
      // SIGKILL is a deadline, not a behaviour: the action must exit by itself.
      for (const [sequence, signals, code] of [
        ['SIGTERM', ['SIGTERM'], 143],
        ['the GitHub cancel sequence', ['SIGINT', 'SIGTERM'], 130],
      ] as const) {
        test(`${sequence} mid-replay: the check run is completed as cancelled with the partial verdict`, async () => {
          const before = github.calls.length
          const run = await startAction(inputs, github)
          await midReplay(run)
          const done = (await lines(join(run.runDir, 'records.jsonl'))).length
          send(run, signals[0])
          let closed = false
          void run.exited.then(() => (closed = true))
          for (const next of signals.slice(1)) {
            await until(
              () => `the step failed as cancelled (output so far: ${run.output()})`,
              () => closed || run.output().includes(`::error::clair-canary: cancelled by ${signals[0]}`),
            )
            send(run, next)
          }
          const exit = await exitOf(run)
          assert.deepEqual(exit, { code, signal: null }, run.output())
          const files = await assertCancelled(run, signals[0], done)
          figure(`action, ${sequence}`, exit, files)
          const calls = github.calls.slice(before)
          assert.deepEqual(
            calls.map((c) => c.method),
            ['POST', 'PATCH'],
            'the check run is created, then completed once',
          )
          const patch = lastPatch()
          assert.equal(patch.status, 'completed')
          assert.equal(patch.conclusion, 'cancelled')
          assert.equal(
            patch.output?.title,
            `cancelled: partial verdict inconclusive on ${files.records.length} of ${COUNT} manifests`,
          )
          assert.match(patch.output?.summary ?? '', new RegExp(`Received ${signals[0]}`))
          assert.deepEqual(github.invalidCalls(), [])
          const summary = await readFile(run.summaryFile!, 'utf8')
          assert.match(summary, /clair-canary was cancelled: partial verdict inconclusive/)
          assert.match(run.output(), new RegExp(`::error::clair-canary: cancelled by ${signals[0]}`))
        })
      }

      test('SIGKILL mid-replay: the finished records are kept (the check run cannot be completed)', async () => {
        const run = await startAction(inputs, github)
        await midReplay(run)
        const done = (await lines(join(run.runDir, 'records.jsonl'))).length
        send(run, 'SIGKILL')
        const exit = await exitOf(run)
        assert.deepEqual(exit, { code: null, signal: 'SIGKILL' })
        const files = await runFiles(run.runDir)
        figure('action, SIGKILL', exit, files)
        assert.ok(files.records.length >= done && files.records.length < COUNT)
        for (const r of files.records) assertFinished(r)
        assert.equal(files.result, undefined)
      })
    },
  )
})

/**
 * A scenario with a Quay database whose manifest table another session holds locked, so the sampler's first look
 * at it waits; `waiting` counts clair-canary's sessions waiting on a lock, seen from a third session (inside the
 * holder's transaction pg_stat_activity would stay as first read).
 */
async function lockedQuayDatabase(t: TestContext) {
  const db = await startScenario({ count: 4, canaryProfile: 'clean', quayDb: true })
  t.after(() => db.close())
  const dsn = db.inputs['quay-db-dsn']!
  const session = async () => {
    const client = new pg.Client({ connectionString: dsn })
    client.on('error', () => undefined)
    await client.connect()
    t.after(() => client.end().catch(() => undefined))
    return client
  }
  const holder = await session()
  await holder.query('BEGIN')
  await holder.query('LOCK TABLE manifest IN ACCESS EXCLUSIVE MODE')
  const observer = await session()
  const waiting = async () =>
    (
      await observer.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'clair-canary' AND wait_event_type = 'Lock'",
      )
    ).rows[0]!.n
  return { db, holder, waiting }
}

async function writeManifests(scenario: Scenario): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'clair-canary-crash-manifests-')), 'manifests.jsonl')
  await writeFile(path, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
  return path
}
