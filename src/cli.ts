#!/usr/bin/env node
// The CLI: flags -> Config, the same pipeline as the action, console + files. Exit codes: 0 pass, 1 fail,
// 2 bad input or configuration, 3 inconclusive, 4 internal error.
import { join, resolve } from 'node:path'
import { buildConfig, buildMergeConfig, buildSampleConfig } from './config/config.ts'
import { ACTION_ONLY_INPUTS, INPUTS, INPUT_GROUP_TITLES } from './config/inputs.ts'
import { closest, parseFlags, type FlagOptions } from './flags.ts'
import { ReplicaUnavailable, UserError, errorMessage } from './errors.ts'
import { runPipeline } from './pipeline.ts'
import { installInterrupt, signalExitCode } from './interrupt.ts'
import { TOOL_VERSION } from './version.ts'
import { verdictLines } from './report/console.ts'
import { consoleLogger } from './log.ts'
import { cliDebug, cliInputReader, envName } from './config/env.ts'
import type { InputGroup } from './config/inputs.ts'
import type { Result, Verdict } from './rundir/types.ts'

export const EXIT = { pass: 0, fail: 1, input: 2, inconclusive: 3, internal: 4 } as const

export function exitCodeFor(verdict: Verdict): number {
  return EXIT[verdict]
}

const EXIT_CODES =
  'Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error;\n' +
  '130/143 stopped by SIGINT/SIGTERM (the run directory holds what it finished).'

const USAGE = `clair-canary ${TOOL_VERSION}: replay Quay manifests against a canary Clair and judge it against production

Usage:
  clair-canary run [--<input> <value> ...]     replay, compare, judge; writes the run directory
  clair-canary compare --baseline RUN_DIR --out DIR [--rules FILE]
                                               re-judge a run from its run directory
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]
                                               judge two report stores (production = baseline)
  clair-canary merge --out DIR [--rules FILE] [--history-dir DIR] RUN_DIR...
                                               merge the run directories of a sharded run's legs, judge once
  clair-canary sample --out FILE [--<input> <value> ...]
                                               draw a sample from the Quay database into a JSONL file
  clair-canary <command> --help                that command's flags
  clair-canary --help | --version
  npm run demo -- [--clean] [--count N]        (from a clone) the whole pipeline against local stand-ins

${EXIT_CODES}
`

/** The inputs of these groups, as flags, under their headings. */
function inputFlags(groups: InputGroup[], skip: string[] = []): string {
  const out: string[] = []
  for (const group of groups) {
    const inputs = INPUTS.filter(
      (i) => i.group === group && !ACTION_ONLY_INPUTS.has(i.name) && !skip.includes(i.name),
    )
    if (inputs.length === 0) continue
    out.push('', `${INPUT_GROUP_TITLES[group]}:`)
    for (const i of inputs)
      out.push(
        `  --${i.name.padEnd(30)} ${i.description}${i.default ? ` (default: ${i.default})` : ''}${i.secret ? ` (secret: prefer ${envName(i.name)})` : ''}`,
      )
  }
  return out.join('\n')
}

const INPUT_NOTE =
  'Every flag is also an environment variable CLAIR_CANARY_<NAME> (e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK);\n' +
  'a flag wins over the variable. Prefer variables for secrets.'

const HELP: Record<string, () => string> = {
  run: () => `Usage: clair-canary run [--<input> <value> ...]

Waits for the canary, draws the sample, replays it against the canary, reads both sides' reports, compares and
judges them, and writes the run directory (run.json, reports, diffs.jsonl, result.json, summary.md, report.html).

${INPUT_NOTE}
${inputFlags(['targets', 'sample', 'layers', 'replay', 'judge', 'signals'])}

${EXIT_CODES}`,
  sample: () => `Usage: clair-canary sample --out FILE [--<input> <value> ...]

Draws a sample from the Quay database (a read replica) and writes it as JSONL, layer URLs without signatures;
\`clair-canary run --manifests FILE\` replays it later.

  --out FILE                         where the JSONL goes (required)

${INPUT_NOTE}
${inputFlags(['sample', 'layers'], ['manifests', 'shard-index', 'shard-total', 'publish-repository-names'])}

Exit codes: 0 written, 2 bad input or configuration, 3 the Quay database kept failing, 4 internal error;
130/143 stopped by SIGINT/SIGTERM (the query is cancelled; the file is written whole or not at all).`,
  compare: () => `Usage:
  clair-canary compare --baseline RUN_DIR --out DIR [--rules FILE]
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]

Re-judges without replaying anything, and writes result.json, diffs.jsonl, summary.md and report.html into --out.

  --baseline RUN_DIR   a run directory: its own reports/production and reports/canary, records, re-reads and
                       sample are judged again with the run's own rules (or --rules), so the verdict is the
                       run's unless the rules changed
  --baseline STORE     production's report store (e.g. <run dir>/reports/production), with
  --candidate STORE    the canary's report store (e.g. <run dir>/reports/canary); a run directory here means
                       its reports/canary. Without records, the error and latency gates are left out.
  --out DIR            where the files go (not the run directory itself)
  --rules FILE         a rules file (see the README's "Rules file")

${EXIT_CODES}`,
  merge: () => `Usage: clair-canary merge --out DIR [--rules FILE] [--history-dir DIR] RUN_DIR...

Merges the run directories of a sharded run's legs (as download-artifact leaves them; a directory holding several
is searched) into --out, and judges them once, as one run.

  --out DIR            where the merged run directory goes (required)
  --rules FILE         a rules file (see the README's "Rules file")
  --history-dir DIR    keep the whole run's history record in DIR and judge it against the records there, as
                       run --history true --history-dir does (see the README's "History")
  --history-depth N    earlier runs shown and nights judged against (default 14)

${EXIT_CODES}`,
}

const COMMANDS = ['run', 'compare', 'merge', 'sample']

function helpFor(command: string): number {
  console.log(HELP[command]!())
  return EXIT.pass
}

/** Says what to do instead when a flag is an action-only input. */
function actionOnly(flag: string): string | undefined {
  return ACTION_ONLY_INPUTS.has(flag)
    ? 'is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code'
    : undefined
}

const debug = cliDebug()
const consoleLog = consoleLogger({ debug })

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'help' && rest[0] !== undefined && rest[0] in HELP) return helpFor(rest[0])
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
    default: {
      const guess = closest(command, [...COMMANDS, 'demo'])
      throw new UserError(
        command === 'demo' || guess === 'demo'
          ? 'the demo runs from a clone: npm run demo (npm run demo -- --help for its flags)'
          : `unknown command ${JSON.stringify(command)}${guess ? `; did you mean ${guess}?` : ''} (expected ${COMMANDS.join(', ')}; see --help)`,
      )
    }
  }
}

function parseInputFlags(command: string, args: string[], extra: FlagOptions = {}) {
  const options: FlagOptions = Object.fromEntries(
    INPUTS.filter((i) => !ACTION_ONLY_INPUTS.has(i.name)).map((i) => [i.name, { type: 'string' as const }]),
  )
  const { values } = parseFlags(command, args, { ...options, ...extra }, { notHere: actionOnly })
  const fromEnv = cliInputReader((name) => {
    const flag = values[name]
    return typeof flag === 'string' ? flag : undefined
  })
  const read = (name: string): string | undefined =>
    ACTION_ONLY_INPUTS.has(name) ? undefined : fromEnv(name)
  return { values, read }
}

async function runCommand(args: string[]): Promise<number> {
  const { values, read } = parseInputFlags('run', args)
  if (values['help']) return helpFor('run')
  const { config } = await buildConfig(read)
  const interrupt = installInterrupt({ log: consoleLog })
  try {
    const outcome = await runPipeline(config, {
      log: consoleLog,
      signal: interrupt.stop,
      force: interrupt.force,
    })
    printResult(outcome.result, outcome.summaryPath)
    // The run directory holds what it knew; the exit code says it was interrupted, as a shell expects.
    if (interrupt.received) return signalExitCode(interrupt.received)
    return exitCodeFor(outcome.result.verdict)
  } finally {
    interrupt.uninstall()
  }
}

async function compareCommand(args: string[]): Promise<number> {
  const { values } = parseFlags('compare', args, {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    out: { type: 'string' },
    rules: { type: 'string' },
  })
  if (values['help']) return helpFor('compare')
  for (const name of ['baseline', 'out'])
    if (typeof values[name] !== 'string' || values[name] === '')
      throw new UserError(
        `compare: --${name} is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)`,
      )
  const { compareRunDirs } = await import('./compare-command.ts')
  const outcome = await compareRunDirs({
    baseline: resolve(values['baseline'] as string),
    ...(typeof values['candidate'] === 'string' && values['candidate'] !== ''
      ? { candidate: resolve(values['candidate']) }
      : {}),
    out: resolve(values['out'] as string),
    ...(typeof values['rules'] === 'string' ? { rules: values['rules'] } : {}),
    log: consoleLog,
  })
  printResult(outcome.result, outcome.summaryPath)
  return exitCodeFor(outcome.result.verdict)
}

async function mergeCommand(args: string[]): Promise<number> {
  const parsed = parseFlags(
    'merge',
    args,
    {
      out: { type: 'string' },
      rules: { type: 'string' },
      'history-dir': { type: 'string' },
      'history-depth': { type: 'string' },
    },
    { positionals: true },
  )
  if (parsed.values['help']) return helpFor('merge')
  const out = parsed.values['out'] as string | undefined
  const rules = parsed.values['rules'] as string | undefined
  if (!out) throw new UserError('merge: --out DIR is required (where the merged run directory goes)')
  if (parsed.positionals.length === 0)
    throw new UserError('merge: name the run directories to merge (see --help)')
  const historyDir = parsed.values['history-dir'] as string | undefined
  const historyDepth = parsed.values['history-depth'] as string | undefined
  if (historyDepth !== undefined && !historyDir)
    throw new UserError('merge: --history-depth needs --history-dir (the directory of history records)')
  const inputs: Record<string, string> = {
    merge: parsed.positionals.join('\n'),
    'run-dir': out,
    ...(rules ? { rules } : {}),
    ...(historyDir ? { history: 'true', 'history-dir': historyDir } : {}),
    ...(historyDepth !== undefined ? { 'history-depth': historyDepth } : {}),
  }
  const { config } = await buildMergeConfig((name) => inputs[name], {
    names: { 'run-dir': 'merge: --out', rules: 'merge: --rules' },
  })
  const { mergeAndJudge } = await import('./merge-command.ts')
  const outcome = await mergeAndJudge(config, consoleLog)
  printResult(outcome.result, outcome.summaryPath)
  return exitCodeFor(outcome.result.verdict)
}

async function sampleCommand(args: string[]): Promise<number> {
  const { values, read } = parseInputFlags('sample', args, { out: { type: 'string' } })
  if (values['help']) return helpFor('sample')
  const out = values['out']
  if (typeof out !== 'string' || out === '')
    throw new UserError('sample: --out FILE is required (where sample.jsonl goes)')
  const { config } = await buildSampleConfig(read, out)
  const { sampleCommandToFile } = await import('./sample/quay.ts')
  // A signal cancels the query on the server and ends the pool; the file is written whole (it is renamed into
  // place) or not at all. No warning at the signal: the one line below says it all.
  const interrupt = installInterrupt()
  try {
    const info = await sampleCommandToFile(config, consoleLog, { signal: interrupt.stop })
    console.log(`wrote ${info.drawn} manifests to ${out}`)
    // The signal came after the file was complete: it stands, and the exit code says the signal came.
    return interrupt.received ? signalExitCode(interrupt.received) : EXIT.pass
  } catch (error) {
    // Whatever the sample throws once cancelled (a cancelled query, an ended pool) is the cancel.
    if (!interrupt.received) throw error
    console.error(
      `clair-canary: sample: cancelled by ${interrupt.received}: the Quay database query was cancelled and nothing was written to ${out}`,
    )
    return signalExitCode(interrupt.received)
  } finally {
    interrupt.uninstall()
  }
}

export function printResult(result: Result, summaryPath: string): void {
  for (const line of verdictLines(result)) console.log(line)
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
    // The Quay database kept failing the sample (a recovery conflict, a timeout): no evidence either way.
    if (error instanceof ReplicaUnavailable) {
      console.error(`clair-canary: ${error.message}`)
      return EXIT.inconclusive
    }
    console.error(`clair-canary: internal error: ${errorMessage(error)}`)
    if (debug) console.error(error)
    return EXIT.internal
  }
}

// Run only when executed, not when imported by tests.
if (import.meta.main) {
  const code = await cli(process.argv.slice(2))
  // A cancelled run ends now: a query or socket it abandoned must not hold the process.
  if (code > EXIT.internal) process.exit(code)
  process.exitCode = code
}
