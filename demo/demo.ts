// `npm run demo`: the whole pipeline on this machine, no external services (see demo/scenario.ts). The canary
// runs the `demo` profile, which plants a regression (Python packages vanish, dpkg versions lose their epoch,
// some manifests fail to index) and a vulnerability-data drift (debian-updater's data differs). With --clean the
// canary is identical in content. Exit 0 when the verdict is the one the scenario planted, else 1.
import { relative, resolve } from 'node:path'
import { buildConfig } from '../src/config/config.ts'
import { UserError, errorMessage } from '../src/errors.ts'
import { parseFlags } from '../src/flags.ts'
import { consoleLogger } from '../src/log.ts'
import { runPipeline } from '../src/pipeline.ts'
import { runRealDemo } from './real.ts'
import { startScenario } from './scenario.ts'
import { verdictLines } from '../src/report/console.ts'

const DEMO_HELP = `Usage: npm run demo -- [--clean] [--count N] [--run-dir DIR] [--clair standin|real]

Runs the whole pipeline on this machine, with no external services: a Quay database (embedded PostgreSQL) with
synthetic images, S3-style storage that checks presigned URLs, a production Clair stand-in, and a canary stand-in
with a planted regression and a planted vulnerability-data drift. Prints the verdict, the reasons and every gate.

  --clean         plant nothing: the canary is identical in content, and the verdict is pass
  --count N       how many synthetic images (default 200)
  --run-dir DIR   where the run directory goes (default ./clair-canary-run)
  --clair real    real Clair instead of the stand-ins: two builds from the Go module proxy (built once into
                  .cache/clair), production on the older, the canary on the newer, over 36 real images; needs Go,
                  Debian's postgresql and rpm packages. Exit 0 on pass.

Exit codes: 0 the verdict the scenario planted (fail, or pass with --clean), 1 another verdict.`

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseFlags(
    'demo',
    args,
    {
      clean: { type: 'boolean' },
      'run-dir': { type: 'string' },
      count: { type: 'string' },
      clair: { type: 'string' },
    },
    { help: 'npm run demo -- --help' },
  )
  if (values['help']) {
    console.log(DEMO_HELP)
    return 0
  }
  const clair = (values['clair'] as string | undefined) ?? 'standin'
  if (clair !== 'standin' && clair !== 'real')
    throw new UserError(`demo: --clair expects standin or real, got ${JSON.stringify(clair)}`)
  if (clair === 'real') {
    if (values['clean'] !== undefined || values['count'] !== undefined)
      throw new UserError(
        'demo: --clean and --count are for the stand-ins; --clair real runs its 36 real images',
      )
    return runRealDemo(values['run-dir'] as string | undefined)
  }
  const clean = values['clean'] === true
  const runDir = resolve((values['run-dir'] as string | undefined) ?? 'clair-canary-run')
  const count = Number(values['count'] ?? 200)
  if (!Number.isInteger(count) || count < 1)
    throw new UserError('demo: --count expects a whole number above 0')
  const profile = clean ? 'clean' : 'demo'
  const say = (line: string) => console.log(line)
  const shown = (path: string) => relative(process.cwd(), path) || path

  say(
    `clair-canary demo: ${count} synthetic manifests; production stand-in vs canary stand-in (profile "${profile}")`,
  )
  say(
    'a Quay database (embedded PostgreSQL) holds the images; S3 storage in front of their blobs checks signatures',
  )
  const scenario = await startScenario({ count, canaryProfile: profile, quayDb: true })
  try {
    const inputs: Record<string, string> = { ...scenario.inputs, seed: 'demo', 'run-dir': runDir }
    const { config } = await buildConfig((name) => inputs[name])
    const outcome = await runPipeline(config, {
      log: consoleLogger({ write: (l) => say(`  ${l}`) }),
    })
    const { result } = outcome
    say('')
    for (const line of verdictLines(result)) say(line)
    say('')
    say(`summary:     ${shown(outcome.summaryPath)}`)
    say(`html report: ${shown(outcome.htmlPath)}`)
    say(`run dir:     ${shown(runDir)}`)
    const expected = clean ? 'pass' : 'fail'
    if (result.verdict !== expected) {
      say(
        `\nthe demo planted the "${profile}" scenario and expected ${expected}, but the verdict is ${result.verdict}`,
      )
      return 1
    }
    say(
      `\nas planted: the "${profile}" scenario gives ${expected}${clean ? '' : ' (run with --clean to see a pass)'}`,
    )
    return 0
  } finally {
    await scenario.close()
  }
}

// `npm run demo` runs this file from source: the demo and its stand-ins are not part of the bundled CLI.
if (import.meta.main) {
  try {
    process.exitCode = await runDemo(process.argv.slice(2))
  } catch (error) {
    // UserErrors name the demo already ("demo: ..."); anything else is ours.
    console.error(
      error instanceof UserError
        ? `clair-canary ${error.message}`
        : `clair-canary demo: internal error: ${errorMessage(error)}`,
    )
    process.exitCode = error instanceof UserError ? 2 : 4
  }
}
