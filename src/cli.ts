#!/usr/bin/env node
// The CLI: flags -> Config, the same pipeline as the action, console + files. Exit codes: 0 pass, 1 fail,
// 2 bad input or configuration, 3 inconclusive, 4 internal error.
import { parseArgs } from 'node:util'
import { join, resolve } from 'node:path'
import { buildConfig, buildMergeConfig } from './config/config.ts'
import { INPUTS } from './config/inputs.ts'
import { UserError, errorMessage } from './errors.ts'
import { runPipeline } from './pipeline.ts'
import { TOOL_VERSION } from './version.ts'
import { consoleLogger } from './log.ts'
import type { Result, Verdict } from './rundir/types.ts'

export const EXIT = { pass: 0, fail: 1, input: 2, inconclusive: 3, internal: 4 } as const

export function exitCodeFor(verdict: Verdict): number {
  return EXIT[verdict]
}

/** Flags win over environment variables: --canary-psk, else CLAIR_CANARY_CANARY_PSK. */
export function envName(input: string): string {
  return `CLAIR_CANARY_${input.toUpperCase().replace(/-/g, '_')}`
}

const USAGE = `clair-canary ${TOOL_VERSION}: replay Quay manifests against a canary Clair and judge it against production

Usage:
  clair-canary run [--<input> <value> ...]     replay, compare, judge; writes the run directory
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]
                                               re-judge two report stores (production = baseline)
  clair-canary merge --out DIR [--rules FILE] RUN_DIR...
                                               merge the run directories of a sharded run's legs, judge once
  clair-canary sample --out FILE [--<input> <value> ...]
                                               draw a sample from the Quay database into a JSONL file
  clair-canary --help | --version

Every action input is a flag of the same name, or an environment variable CLAIR_CANARY_<NAME>
(e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK; prefer the variable for secrets).
Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error.

Inputs:
${INPUTS.map((i) => `  --${i.name.padEnd(30)} ${i.description}${i.default ? ` (default: ${i.default})` : ''}`).join('\n')}
`

const consoleLog = consoleLogger({ debug: Boolean(process.env['CLAIR_CANARY_DEBUG']) })

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE)
    return command === undefined ? EXIT.input : EXIT.pass
  }
  if (command === '--version') {
    console.log(TOOL_VERSION)
    return EXIT.pass
  }
  switch (command) {
    case 'run':
      return runCommand(rest)
    case 'compare':
      return compareCommand(rest)
    case 'sample':
      return sampleCommand(rest)
    case 'merge':
      return mergeCommand(rest)
    default:
      throw new UserError(
        `unknown command ${JSON.stringify(command)}; expected run, compare, merge or sample (see --help)`,
      )
  }
}

function parseInputFlags(args: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  const options = Object.fromEntries(INPUTS.map((i) => [i.name, { type: 'string' as const }]))
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: { ...options, ...extra, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    throw new UserError(errorMessage(error))
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  const read = (name: string): string | undefined => {
    const flag = values[name]
    if (typeof flag === 'string') return flag
    return process.env[envName(name)]
  }
  return { values, read }
}

async function runCommand(args: string[]): Promise<number> {
  const { values, read } = parseInputFlags(args)
  if (values['help']) {
    console.log(USAGE)
    return EXIT.pass
  }
  const { config } = await buildConfig(read)
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const outcome = await runPipeline(config, { log: consoleLog, signal: controller.signal })
    printResult(outcome.result, outcome.summaryPath)
    return exitCodeFor(outcome.result.verdict)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

async function compareCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args,
      options: {
        baseline: { type: 'string' },
        candidate: { type: 'string' },
        out: { type: 'string' },
        rules: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    throw new UserError(errorMessage(error))
  }
  if (values['help']) {
    console.log(USAGE)
    return EXIT.pass
  }
  for (const name of ['baseline', 'candidate', 'out'])
    if (typeof values[name] !== 'string' || values[name] === '')
      throw new UserError(`compare: --${name} is required (see --help)`)
  const { compareRunDirs } = await import('./compare-command.ts')
  const outcome = await compareRunDirs({
    baseline: resolve(values['baseline'] as string),
    candidate: resolve(values['candidate'] as string),
    out: resolve(values['out'] as string),
    ...(typeof values['rules'] === 'string' ? { rules: values['rules'] } : {}),
    log: consoleLog,
  })
  printResult(outcome.result, outcome.summaryPath)
  return exitCodeFor(outcome.result.verdict)
}

async function mergeCommand(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: { out: { type: 'string' }, rules: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    })
  } catch (error) {
    throw new UserError(errorMessage(error))
  }
  if (parsed.values.help) {
    console.log(USAGE)
    return EXIT.pass
  }
  const { out, rules } = parsed.values
  if (!out) throw new UserError('merge: --out DIR is required (where the merged run directory goes)')
  if (parsed.positionals.length === 0)
    throw new UserError('merge: name the run directories to merge (see --help)')
  const inputs: Record<string, string> = {
    merge: parsed.positionals.join('\n'),
    'run-dir': out,
    ...(rules ? { rules } : {}),
  }
  const { config } = await buildMergeConfig((name) => inputs[name])
  const { mergeAndJudge } = await import('./merge-command.ts')
  const outcome = await mergeAndJudge(config, consoleLog)
  printResult(outcome.result, outcome.summaryPath)
  return exitCodeFor(outcome.result.verdict)
}

async function sampleCommand(args: string[]): Promise<number> {
  const { values, read } = parseInputFlags(args, { out: { type: 'string' } })
  if (values['help']) {
    console.log(USAGE)
    return EXIT.pass
  }
  const out = values['out']
  if (typeof out !== 'string' || out === '')
    throw new UserError('sample: --out FILE is required (where sample.jsonl goes)')
  const { sampleCommandToFile } = await import('./sample/quay.ts')
  const info = await sampleCommandToFile(read, resolve(out), consoleLog)
  console.log(`wrote ${info.drawn} manifests to ${out}`)
  return EXIT.pass
}

export function printResult(result: Result, summaryPath: string): void {
  console.log(`verdict: ${result.verdict.toUpperCase()}`)
  for (const reason of result.reasons) console.log(`  - ${reason}`)
  console.log(`summary: ${summaryPath}`)
  console.log(`report:  ${join(summaryPath, '..', 'report.html')}`)
}

export async function cli(argv: string[]): Promise<number> {
  try {
    return await main(argv)
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`clair-canary: ${error.message}`)
      return EXIT.input
    }
    console.error(`clair-canary: internal error: ${errorMessage(error)}`)
    if (process.env['CLAIR_CANARY_DEBUG']) console.error(error)
    return EXIT.internal
  }
}

// Run only when executed, not when imported by tests.
if (import.meta.main) process.exitCode = await cli(process.argv.slice(2))
