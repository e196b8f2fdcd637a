// The CLI as a user runs it: exit codes (0 pass, 1 fail, 2 bad input, 3 inconclusive), one-line errors that name
// the input or line, --help covering every input, and `compare` re-judging two report stores.
import { before, after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { runCli } from '../../support/cli.ts'
import { join } from 'node:path'
import { INPUTS } from '../../../src/config/inputs.ts'
import { buildConfig } from '../../../src/config/config.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { startScenario } from '../../../demo/scenario.ts'
import { quietLogger } from '../../support/log.ts'

const cli = runCli

const digest = (c: string) => `sha256:${c.repeat(64)}`
const base = [
  'run',
  '--canary-url',
  'http://127.0.0.1:9/',
  '--production-url',
  'http://127.0.0.1:19/',
  '--checks',
  'false',
]

test('--help lists every input and the exit codes', async () => {
  const { code, out } = await cli(['--help'])
  assert.equal(code, 0)
  for (const input of INPUTS) assert.ok(out.includes(`--${input.name}`), input.name)
  assert.match(out, /0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive/)
})

test('an unknown command or flag is exit 2 with one line', async () => {
  for (const args of [['explode'], ['run', '--no-such-flag', 'x']]) {
    const { code, err } = await cli(args)
    assert.equal(code, 2)
    assert.equal(err.trim().split('\n').length, 1, err)
  }
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

  test('missing flags are exit 2', async () => {
    const { code, err } = await cli(['compare', '--baseline', runDir])
    assert.equal(code, 2)
    assert.match(err, /--candidate is required/)
  })
})
