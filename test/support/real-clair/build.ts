// Real Clair, installed by module path and version with the ordinary Go client into a git-ignored cache keyed by
// release and Go version. Nothing of Clair is committed: only this file, which asks the Go module proxy for it.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../../src/errors.ts'

export interface ClairRelease {
  /** How the build names itself everywhere (cache key, version label, summaries). */
  name: string
  /** Clair's module version. */
  clair: string
  /** A claircore to build it against instead of the one Clair's go.mod requires. */
  claircore?: string
}

/**
 * The two releases, in one place. Clair v4.8.0 is not served by the module proxy this project reaches (only
 * v4.9.0 is), so the older side is Clair v4.9.0 built against an older claircore, which is what most Clair
 * releases differ by. v4.8.0 used claircore v1.5.32; of the claircores the proxy serves, v1.5.35 lacks
 * pkg/ctxlock/v2, which v4.9.0 imports, so v1.5.39 is the nearest that builds.
 */
export const RELEASES = {
  older: { name: 'v4.9.0+claircore-v1.5.39', clair: 'v4.9.0', claircore: 'v1.5.39' },
  newer: { name: 'v4.9.0', clair: 'v4.9.0' },
} as const satisfies Record<string, ClairRelease>

const CLAIR_MODULE = 'github.com/quay/clair/v4'
const CLAIRCORE_MODULE = 'github.com/quay/claircore'
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Where builds are kept: CLAIR_CANARY_CLAIR_CACHE, else .cache/clair in the repository (git-ignored). */
export function clairCacheDir(): string {
  return process.env['CLAIR_CANARY_CLAIR_CACHE'] ?? join(REPO_ROOT, '.cache', 'clair')
}

export interface ClairBuild {
  release: ClairRelease
  goVersion: string
  dir: string
  clair: string
  clairctl: string
  /** True when this call built it; false when the cache already had it. */
  built: boolean
  seconds: number
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)))
    child.once('error', reject)
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

/** The last meaningful line of a Go error output (Go puts the cause last). */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim())
  return lines.filter((l) => l !== '').at(-1) ?? '(no output)'
}

/** The Go toolchain's version (go1.26.8), or a UserError when there is none. */
export async function goVersion(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let result: Run
  try {
    result = await run('go', ['env', 'GOVERSION'], { env })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError('go: no Go toolchain on PATH; real Clair is built with Go (1.24 or newer)', {
        cause: error,
      })
    throw error
  }
  if (result.code !== 0) throw new UserError(`go: 'go env GOVERSION' failed: ${lastLine(result.stderr)}`)
  return result.stdout.trim()
}

/** The cache directory of one release built with one Go version. */
export function buildDir(release: ClairRelease, go: string, cacheDir = clairCacheDir()): string {
  return join(cacheDir, `${release.name}-${go}`)
}

/** The Go environment of a build: no cgo (Clair needs none), the local toolchain only, module cache first. */
async function goEnv(base: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const env = { ...base, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -modcacherw' }
  const modcache = (await run('go', ['env', 'GOMODCACHE'], { env })).stdout.trim()
  const proxy = (await run('go', ['env', 'GOPROXY'], { env })).stdout.trim()
  // The proxy serves a module's zip but may refuse its version list, which `go install pkg@version` asks for;
  // the module cache, filled by `go mod download` through the proxy, answers that list for what it holds.
  return { ...env, GOPROXY: `file://${modcache}/cache/download,${proxy}` }
}

/** `go mod download` of one module version through the configured proxy, with one clear line on failure. */
async function download(module: string, version: string, env: NodeJS.ProcessEnv): Promise<void> {
  const result = await run('go', ['mod', 'download', '-json', `${module}@${version}`], { env })
  if (result.code === 0) return
  const text = `${result.stdout}\n${result.stderr}`
  const proxy = env['GOPROXY'] ?? '(default)'
  let detail = lastLine(result.stderr)
  try {
    const parsed = JSON.parse(result.stdout) as { Error?: string }
    if (parsed.Error) detail = parsed.Error.split('\n').at(-1) ?? parsed.Error
  } catch {
    // not JSON: keep stderr's last line
  }
  if (
    /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|network is unreachable|GOPROXY=off/.test(
      text,
    )
  )
    throw new UserError(
      `Go module proxy unreachable (GOPROXY=${proxy}) while fetching ${module}@${version}: ${detail}`,
    )
  if (/not available|unknown revision|invalid version|not found|404|410|403/.test(text))
    throw new UserError(`${module}@${version}: no such version on the Go module proxy (${detail})`)
  throw new UserError(`go mod download ${module}@${version} failed: ${detail}`)
}

/**
 * Builds (or reuses) one release. The build happens in a fresh directory renamed into place only when both
 * binaries exist, so a failed or interrupted build leaves nothing in the cache.
 */
export async function buildClair(
  release: ClairRelease,
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void; cacheDir?: string } = {},
): Promise<ClairBuild> {
  const started = performance.now()
  const base = options.env ?? process.env
  const go = await goVersion(base)
  const dir = buildDir(release, go, options.cacheDir)
  const result = (built: boolean): ClairBuild => ({
    release,
    goVersion: go,
    dir,
    clair: join(dir, 'bin', 'clair'),
    clairctl: join(dir, 'bin', 'clairctl'),
    built,
    seconds: (performance.now() - started) / 1000,
  })
  if (existsSync(join(dir, 'build.json'))) return result(false)

  options.log?.(`building Clair ${release.name} with ${go} into ${dir}`)
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`
  await mkdir(join(tmp, 'bin'), { recursive: true })
  try {
    await download(CLAIR_MODULE, release.clair, base)
    if (release.claircore) await download(CLAIRCORE_MODULE, release.claircore, base)
    const env: NodeJS.ProcessEnv = { ...(await goEnv(base)), GOBIN: join(tmp, 'bin') }
    // As Clair's Dockerfile does for a given version: the label then names the build instead of
    // "(random source build)" (module zips carry no git-export substitutions and no VCS information).
    const ldflags = `-X '${CLAIR_MODULE}/cmd.Version=${release.name}'`
    const packages = ['clair', 'clairctl'].map((c) => `${CLAIR_MODULE}/cmd/${c}`)
    let built: Run
    if (!release.claircore) {
      built = await run(
        'go',
        ['install', '-trimpath', '-ldflags', ldflags, ...packages.map((p) => `${p}@${release.clair}`)],
        {
          env,
        },
      )
    } else {
      // A throwaway module (in the cache, never committed) that requires Clair and replaces its claircore.
      const mod = join(tmp, 'module')
      await mkdir(mod)
      await writeFile(
        join(mod, 'go.mod'),
        `module clair-canary.invalid/build\n\ngo 1.24\n\nrequire ${CLAIR_MODULE} ${release.clair}\n\n` +
          `replace ${CLAIRCORE_MODULE} => ${CLAIRCORE_MODULE} ${release.claircore}\n`,
      )
      built = await run(
        'go',
        ['build', '-trimpath', '-ldflags', ldflags, '-o', join(tmp, 'bin') + '/', ...packages],
        {
          cwd: mod,
          env: { ...env, GOFLAGS: `${env['GOFLAGS']} -mod=mod` },
        },
      )
      await rm(mod, { recursive: true, force: true })
    }
    if (built.code !== 0)
      throw new UserError(`building Clair ${release.name} with ${go} failed: ${lastLine(built.stderr)}`)
    const version = await run(join(tmp, 'bin', 'clairctl'), ['--version'])
    await writeFile(
      join(tmp, 'build.json'),
      JSON.stringify(
        {
          release,
          goVersion: go,
          clairctlVersion: `${version.stdout}${version.stderr}`.trim(),
          seconds: Math.round((performance.now() - started) / 100) / 10,
        },
        null,
        2,
      ) + '\n',
    )
    await rm(dir, { recursive: true, force: true })
    await rename(tmp, dir)
  } catch (error) {
    await rm(tmp, { recursive: true, force: true })
    throw error
  }
  return result(true)
}

/** What build.json recorded (clairctl --version, seconds). */
export async function buildInfo(build: ClairBuild): Promise<{ clairctlVersion: string; seconds: number }> {
  return JSON.parse(await readFile(join(build.dir, 'build.json'), 'utf8')) as {
    clairctlVersion: string
    seconds: number
  }
}
