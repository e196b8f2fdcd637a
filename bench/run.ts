// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line, by substring) in one
// process and prints one line per figure. Always exits 0: benchmarks inform, they never gate.
import { readdir } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatFigure } from './figure.ts'
import type { Bench } from './figure.ts'

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2)
const files = (await readdir(here))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort()

// Context for reading the figures: on a shared or busy machine, latency figures mostly measure the machine.
const [load] = loadavg()
console.log(
  `# node ${process.versions.node}, ${availableParallelism()} cores, load average ${load?.toFixed(2) ?? '?'}`,
)
for (const file of files) {
  console.log(`# ${file}`)
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: Bench }
    if (typeof mod.default !== 'function') {
      console.log(`${file}: no default-exported bench function`)
      continue
    }
    for (const figure of await mod.default()) console.log(formatFigure(figure))
  } catch (error) {
    console.log(`${file}: failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
process.exitCode = 0
