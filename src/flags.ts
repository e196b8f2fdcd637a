// Command-line flags for the CLI and the demo: node's parseArgs, with unknown options answered by the closest
// known one ("did you mean --canary-url?") in one line, as a UserError (exit 2).
import { parseArgs } from 'node:util'
import { UserError, errorMessage } from './errors.ts'

export type FlagOptions = Record<string, { type: 'string' | 'boolean' }>

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

/**
 * Parses `args` for `command` (used in messages). `notHere` names flags that exist elsewhere, with what to say
 * instead (e.g. an action-only input).
 */
export function parseFlags(
  command: string,
  args: string[],
  options: FlagOptions,
  opts: {
    positionals?: boolean
    notHere?: (flag: string) => string | undefined
    /** How to get help, for the messages (default: clair-canary <command> --help). */
    help?: string
  } = {},
): ParsedFlags {
  // parseArgs reads "--rate -1" as a flag without its value; a negative number after a flag that takes one is
  // that flag's value, to be refused by the input's own check ("expected a number above 0").
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const next = args[i + 1]
    const name = arg.replace(/^--/, '')
    if (
      arg.startsWith('--') &&
      !arg.includes('=') &&
      options[name]?.type === 'string' &&
      next &&
      /^-\d/.test(next)
    ) {
      joined.push(`${arg}=${next}`)
      i++
    } else joined.push(arg)
  }
  try {
    const parsed = parseArgs({
      args: joined,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: opts.positionals ?? false,
    })
    return { values: parsed.values, positionals: parsed.positionals }
  } catch (error) {
    const code = (error as { code?: string }).code
    const flag = /'(-{1,2}[^'=]+)/.exec(errorMessage(error))?.[1]
    const help = `see ${opts.help ?? `clair-canary ${command} --help`}`
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      const name = flag.replace(/^-+/, '')
      const elsewhere = opts.notHere?.(name)
      if (elsewhere) throw new UserError(`${command}: ${flag} ${elsewhere}`)
      const guess = closest(name, [...Object.keys(options), 'help'])
      throw new UserError(
        `${command}: unknown option ${flag}${guess ? `; did you mean --${guess}?` : ''} (${help})`,
      )
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UserError(`${command}: unexpected argument ${JSON.stringify(positionalOf(error))} (${help})`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag)
      throw new UserError(
        `${command}: ${flag} ${options[flag.replace(/^-+/, '')]?.type === 'boolean' ? 'takes no value' : 'needs a value'} (${help})`,
      )
    throw new UserError(`${command}: ${errorMessage(error)}`)
  }
}

function positionalOf(error: unknown): string {
  return /'([^']*)'/.exec(errorMessage(error))?.[1] ?? ''
}

/** The known name closest to `name` by edit distance, when it is close enough to be a typo, or a unique prefix. */
export function closest(name: string, known: string[]): string | undefined {
  const prefixed = known.filter((k) => k.startsWith(name) || name.startsWith(k))
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    if (!best || distance < best.distance) best = { name: candidate, distance }
  }
  if (best && best.distance <= Math.max(2, Math.floor(name.length / 4))) return best.name
  return prefixed.length === 1 ? prefixed[0] : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length]!
}
