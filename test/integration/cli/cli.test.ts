// The CLI as a user runs it: exit codes (0 pass, 1 fail, 2 bad input, 3 inconclusive), one-line errors that name
// the input or line, --help covering every input, and `compare` re-judging two report stores.
import { before, after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { runCli } from '../../support/cli.ts'
import { join } from 'node:path'
import { ACTION_ONLY_INPUTS, INPUTS } from '../../../src/config/inputs.ts'
import { spawnSync } from 'node:child_process'
import { buildConfig } from '../../../src/config/config.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { startScenario } from '../../../demo/scenario.ts'
import { quietLogger } from '../../support/log.ts'
import type { Result } from '../../../src/rundir/types.ts'
import { readJson } from '../../../src/rundir/io.ts'

const cli = runCli
const ROOT = join(import.meta.dirname, '../../..')

const digest = (c: string) => `sha256:${c.repeat(64)}`
const base = ['run', '--canary-url', 'http://127.0.0.1:9/', '--production-url', 'http://127.0.0.1:19/']

test('--help lists the commands and exit codes; each command has its own help', async () => {
  const { code, out } = await cli(['--help'])
  assert.equal(code, 0)
  for (const command of ['run', 'compare', 'merge', 'sample', 'npm run demo'])
    assert.match(out, new RegExp(`${command} `), command)
  assert.match(out, /0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive/)
  for (const command of ['run', 'compare', 'merge', 'sample']) {
    const help = await cli([command, '--help'])
    assert.equal(help.code, 0, command)
    assert.match(help.out, new RegExp(`^Usage:.*clair-canary ${command}`, 's'), command)
    assert.deepEqual(help.out, (await cli(['help', command])).out)
  }
  const demo = spawnSync(process.execPath, [join(ROOT, 'demo/demo.ts'), '--help'], { encoding: 'utf8' })
  assert.equal(demo.status, 0)
  assert.match(demo.stdout, /^Usage: npm run demo -- \[--clean\]/)
  assert.match(demo.stdout, /--count N/)
})

test('run --help lists every input the CLI reads, and leaves out the action-only ones', async () => {
  const { out } = await cli(['run', '--help'])
  for (const input of INPUTS) {
    const listed = out.includes(`--${input.name} `)
    assert.equal(listed, !ACTION_ONLY_INPUTS.has(input.name), input.name)
  }
  assert.ok(ACTION_ONLY_INPUTS.has('token') && ACTION_ONLY_INPUTS.has('fail-on-inconclusive'))
})

test('an unknown flag or command gets one line with the closest known one', async () => {
  const cases: Array<[string[], string]> = [
    [
      ['run', '--canary-ur', 'x'],
      'clair-canary: run: unknown option --canary-ur; did you mean --canary-url? (see clair-canary run --help)',
    ],
    [
      ['compare', '--basline', 'x'],
      'clair-canary: compare: unknown option --basline; did you mean --baseline? (see clair-canary compare --help)',
    ],
    [
      ['merge', '--outt', 'x'],
      'clair-canary: merge: unknown option --outt; did you mean --out? (see clair-canary merge --help)',
    ],
    [
      ['comapre'],
      'clair-canary: unknown command "comapre"; did you mean compare? (expected run, compare, merge, sample; see --help)',
    ],
    [
      ['run', '--no-such-flag', 'x'],
      'clair-canary: run: unknown option --no-such-flag (see clair-canary run --help)',
    ],
  ]
  for (const [args, line] of cases) {
    const { code, err } = await cli(args)
    assert.equal(code, 2, args.join(' '))
    assert.equal(err.trim(), line)
  }
  const token = await cli(['run', '--token', 'x'])
  assert.equal(token.code, 2)
  assert.match(token.err.trim(), /^clair-canary: run: --token is an input of the GitHub Action only/)
  const demo = spawnSync(process.execPath, [join(ROOT, 'demo/demo.ts'), '--clen'], { encoding: 'utf8' })
  assert.equal(demo.status, 2)
  assert.equal(
    demo.stderr.trim(),
    'clair-canary demo: unknown option --clen; did you mean --clean? (see npm run demo -- --help)',
  )
})

describe('bad manifests are exit 2 naming the line', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clair-canary-cli-'))
  })
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{"hash": ', /:1: not JSON/],
    ['not a manifest', '{"layers": []}', /:1: hash must be a digest/],
    [
      'a digest that is not algo:hex',
      JSON.stringify({ hash: 'sha256:XYZ', layers: [] }),
      /:1: hash must be a digest like sha256:<hex>/,
    ],
    ['no layers', JSON.stringify({ hash: digest('a'), layers: [] }), /:1: layers must be a non-empty array/],
    [
      'a layer URI without scheme',
      JSON.stringify({ hash: digest('a'), layers: [{ hash: digest('b'), uri: 'blobs.example/x' }] }),
      /:1: layers\[0\]\.uri must be an absolute URL/,
    ],
  ]
  for (const [name, line, expected] of cases) {
    test(name, async () => {
      const file = join(dir, `${name.replace(/\W/g, '-')}.jsonl`)
      const good = JSON.stringify({ hash: digest('c'), layers: [{ hash: digest('d'), uri: 'http://x/y' }] })
      // The bad line is line 2: the error must name it.
      await writeFile(file, `${good}\n${line}\n`)
      const { code, err } = await cli([...base, '--manifests', file, '--run-dir', join(dir, 'run')])
      assert.equal(code, 2, err)
      assert.equal(err.trim().split('\n').length, 1, err)
      assert.match(err, new RegExp(expected.source.replace(':1:', ':2:')))
      assert.ok(!/\n\s+at /.test(err), 'no stack trace')
    })
  }
})

test('a PSK that is not base64 is exit 2 naming the input, without echoing it', async () => {
  const { code, err } = await cli([...base, '--manifests', '/nonexistent'], {
    CLAIR_CANARY_CANARY_PSK: 'n0t*base64',
  })
  assert.equal(code, 2)
  assert.match(err, /canary-psk/)
  assert.ok(!err.includes('n0t*base64'))
})

describe('compare re-judges two report stores', () => {
  let runDir: string
  let out: string
  before(async () => {
    const scenario = await startScenario({ count: 25, canaryProfile: 'regression' })
    try {
      const work = await mkdtemp(join(tmpdir(), 'clair-canary-cli-compare-'))
      const manifests = join(work, 'm.jsonl')
      await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
      const inputs: Record<string, string> = {
        ...scenario.inputs,
        manifests,
        'run-dir': join(work, 'run'),
        seed: 'cli',
        // Whole report stores to compare: an early stop would leave fewer than the minimum.
        'early-stop': 'false',
      }
      const { config } = await buildConfig((n) => inputs[n])
      runDir = (await runPipeline(config, { log: quietLogger })).runDir
      out = join(work, 'out')
    } finally {
      await scenario.close()
    }
  })
  after(() => {})

  test('production vs canary of a regression fails (exit 1) and writes the run directory files', async () => {
    const { code, out: stdout } = await cli([
      'compare',
      '--baseline',
      join(runDir, 'reports/production'),
      '--candidate',
      join(runDir, 'reports/canary'),
      '--out',
      out,
    ])
    assert.equal(code, 1, stdout)
    assert.match(stdout, /verdict: FAIL/)
    assert.match(stdout, /python/)
  })

  test('a store against a copy of itself passes (exit 0)', async () => {
    const copy = join(out, '..', 'copy')
    await cp(join(runDir, 'reports/production'), copy, { recursive: true })
    const { code, out: stdout } = await cli([
      'compare',
      '--baseline',
      join(runDir, 'reports/production'),
      '--candidate',
      copy,
      '--out',
      join(out, '..', 'same'),
    ])
    assert.equal(code, 0, stdout)
  })

  test('missing flags are exit 2, and a store alone says how to give a run', async () => {
    const noOut = await cli(['compare', '--baseline', runDir])
    assert.equal(noOut.code, 2)
    assert.match(
      noOut.err,
      /--out is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE/,
    )
    const store = await cli(['compare', '--baseline', join(runDir, 'reports/production'), '--out', out])
    assert.equal(store.code, 2)
    assert.match(
      store.err,
      /is not a run directory \(no reports\/production or reports\/canary in it\); give a run directory alone/,
    )
  })

  test("a run directory re-judged with compare gives the run's verdict and numbers", async () => {
    const rejudged = join(out, '..', 'rejudged')
    const { code, out: stdout } = await cli(['compare', '--baseline', runDir, '--out', rejudged])
    const original = await readJson<Result>(join(runDir, 'result.json'))
    const again = await readJson<Result>(join(rejudged, 'result.json'))
    assert.equal(again.verdict, original.verdict)
    assert.equal(code, original.verdict === 'fail' ? 1 : original.verdict === 'pass' ? 0 : 3, stdout)
    assert.deepEqual(again.counts, original.counts)
    assert.deepEqual(
      again.gates.map((g) => [g.name, g.value, g.decision]),
      original.gates.map((g) => [g.name, g.value, g.decision]),
    )
    assert.deepEqual(again.reasons, original.reasons)
  })
})
