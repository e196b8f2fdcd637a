// ../shared holds real Clair samples and specs. The project never copies them: tests that read them
// skip with a clear message when they are absent (a fresh clone without ../shared).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SHARED_DIR =
  process.env['CLAIR_CANARY_SHARED'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared')

/** Absolute path of a file under ../shared, or undefined when it is not there. */
export function sharedFile(relative: string): string | undefined {
  const path = join(SHARED_DIR, relative)
  return existsSync(path) ? path : undefined
}

/** Pass as the `skip` option of a test: false when present, else the reason it is skipped. */
export function skipUnlessShared(relative: string): string | false {
  return sharedFile(relative)
    ? false
    : `../shared/${relative} is absent: this test reads real data from ../shared and is skipped without it`
}

export function readSharedJson<T>(relative: string): T {
  const path = sharedFile(relative)
  if (!path) throw new Error(`../shared/${relative} is absent`)
  return JSON.parse(readFileSync(path, 'utf8')) as T
}
