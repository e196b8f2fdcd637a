// Folder import cycles in src/: a folder is a stage, and stages depend one way. Exits 1 on a cycle.
// Usage: node scripts/import-cycles.ts [--allow a<->b ...]
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return files(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** The folder under src/ a file belongs to; files directly in src/ are their own folder ("." plus name). */
function folder(path: string): string {
  const rel = relative(root, path)
  const parts = rel.split('/')
  return parts.length > 1 ? parts[0]! : `.${parts[0]!.replace(/\.ts$/, '')}`
}

// Static imports and re-exports, and dynamic import() (a lazy import is still a dependency).
const importPattern = /(?:(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+|\bimport\(\s*)['"](\.[^'"]+)['"]/g
/** folder -> folder -> the files that make the edge (one example each). */
const edges = new Map<string, Map<string, string>>()
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(importPattern)) {
    const target = resolve(dirname(file), match[1]!)
    const from = folder(file)
    const to = folder(target)
    if (from === to) continue
    const out = edges.get(from) ?? new Map<string, string>()
    if (!out.has(to)) out.set(to, `${relative(root, file)} -> ${relative(root, target)}`)
    edges.set(from, out)
  }
}

const allowed = new Set(
  process.argv
    .slice(2)
    .flatMap((arg, i, all) =>
      all[i - 1] === '--allow' ? [arg, arg.split('<->').reverse().join('<->')] : [],
    ),
)

// Every pair of folders that reach each other, shown with one import each way.
function reaches(from: string, to: string): boolean {
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const at = stack.pop()!
    for (const next of edges.get(at)?.keys() ?? []) {
      if (next === to) return true
      if (!seen.has(next)) {
        seen.add(next)
        stack.push(next)
      }
    }
  }
  return false
}

const found: string[] = []
for (const [from, out] of edges) {
  for (const [to, example] of out) {
    if (from.startsWith('.') || to.startsWith('.')) continue
    if (allowed.has(`${from}<->${to}`)) continue
    if (reaches(to, from)) found.push(`${from} -> ${to} (${example}) closes a cycle`)
  }
}
for (const line of found.sort()) console.log(line)
console.log(found.length === 0 ? 'no folder import cycles' : `${found.length} imports close folder cycles`)
process.exitCode = found.length === 0 ? 0 : 1
