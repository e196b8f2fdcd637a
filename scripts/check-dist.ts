// Fails when the committed dist/ differs from a fresh build of src/.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

// Built beside dist/ (same depth): source maps name sources relative to the output directory, and chunk names
// hash the content, so a build elsewhere would differ in every file.
const fresh = '.dist-check'
execFileSync(process.execPath, ['scripts/build.ts', fresh], { stdio: 'inherit' })
process.on('exit', () => rmSync(fresh, { recursive: true, force: true }))

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}
const want = new Map(files(fresh).map((f) => [relative(fresh, f), readFileSync(f)]))
let have: Map<string, Buffer>
try {
  have = new Map(files('dist').map((f) => [relative('dist', f), readFileSync(f)]))
} catch {
  have = new Map()
}
const stale = [...new Set([...want.keys(), ...have.keys()])].filter((f) => {
  const a = want.get(f)
  const b = have.get(f)
  return !a || !b || !a.equals(b)
})
if (stale.length > 0) {
  console.error(
    `dist/ is not current (${stale.length} files differ: ${stale.slice(0, 5).join(', ')}). Run: npm run build`,
  )
  process.exit(1)
}
console.log('dist/ is current')
