// The process environment is read here and in config.ts only; everything else is handed typed values.
type Env = Record<string, string | undefined>

/** Flags win over environment variables: --canary-psk, else CLAIR_CANARY_CANARY_PSK. */
export function envName(input: string): string {
  return `CLAIR_CANARY_${input.toUpperCase().replace(/-/g, '_')}`
}

/** The CLI's inputs: a flag when given, else its CLAIR_CANARY_<NAME> variable. */
export function cliInputReader(
  flag: (name: string) => string | undefined,
  env: Env = process.env,
): (name: string) => string | undefined {
  return (name) => flag(name) ?? env[envName(name)]
}

/** CLAIR_CANARY_DEBUG: debug lines and stack traces in the CLI. */
export function cliDebug(env: Env = process.env): boolean {
  return Boolean(env['CLAIR_CANARY_DEBUG'])
}

/**
 * Repository path the annotations point at: the rules file when it lies in the workspace, else the workflow file
 * (GITHUB_WORKFLOW_REF: "owner/repo/.github/workflows/canary.yml@refs/heads/main").
 */
export function annotationPath(env: Env, rulesFile?: string): string {
  const workspace = env['GITHUB_WORKSPACE']
  if (rulesFile) {
    let path = rulesFile
    if (workspace && path.startsWith(workspace + '/')) path = path.slice(workspace.length + 1)
    if (!path.startsWith('/')) return path.replace(/^\.\//, '')
  }
  const ref = env['GITHUB_WORKFLOW_REF']
  const m = ref ? /^[^/]+\/[^/]+\/(.+?)@/.exec(ref) : null
  return m?.[1] ?? '.github'
}
