// `npm run demo -- --clair real`: the pipeline against two real Clair builds from the Go module proxy (built
// into .cache/clair on first use, then reused), production on the older and the canary on the newer, over the
// real test images (test/support/real-clair). Exit 0 on pass: the builds differ in scanner set and JSON
// encoding, not in what they find in these images.
import { relative, resolve } from 'node:path'
import { buildConfig } from '../src/config/config.ts'
import { consoleLogger } from '../src/log.ts'
import { runPipeline } from '../src/pipeline.ts'
import { RELEASES } from '../test/support/real-clair/build.ts'
import { startRealStand } from '../test/support/real-clair/stand.ts'

export async function runRealDemo(runDirInput: string | undefined): Promise<number> {
  const say = (line: string) => console.log(line)
  const runDir = resolve(runDirInput ?? 'clair-canary-run')
  const shown = (path: string) => relative(process.cwd(), path) || path
  say(`clair-canary demo on real Clair: production ${RELEASES.older.name}, canary ${RELEASES.newer.name}`)
  say('building or reusing both from the Go module proxy, then one Debian PostgreSQL cluster and two Clairs')
  const started = performance.now()
  const stand = await startRealStand({
    production: RELEASES.older,
    canary: RELEASES.newer,
    log: (line) => say(`  ${line}`),
  })
  try {
    say(
      `  ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${stand.images.length} real images ` +
        '(dpkg, apk, rpm, python, go, java), production has indexed them, both sides hold the same vulnerability data',
    )
    // The tests' rules set the latency gates out of reach; the demo judges with the defaults.
    const { rules: _testRules, ...standInputs } = stand.inputs
    const inputs: Record<string, string> = { ...standInputs, seed: 'demo', 'run-dir': runDir }
    const { config } = await buildConfig((name) => inputs[name])
    const outcome = await runPipeline(config, { log: consoleLogger({ write: (l) => say(`  ${l}`) }) })
    const { result } = outcome
    say('')
    say(`verdict: ${result.verdict.toUpperCase()}`)
    for (const reason of result.reasons) say(`  - ${reason}`)
    say('')
    for (const gate of result.gates) say(`  ${gate.decision.padEnd(12)} ${gate.name}: ${gate.detail}`)
    say('')
    say(`summary:     ${shown(outcome.summaryPath)}`)
    say(`html report: ${shown(outcome.htmlPath)}`)
    say(`run dir:     ${shown(runDir)}`)
    return result.verdict === 'pass' ? 0 : 1
  } finally {
    await stand.close()
  }
}
