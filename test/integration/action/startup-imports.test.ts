// What the bundled action loads before it runs a line of its own: dist/index.js and every chunk it imports
// statically, named by their source maps. The action must reach its first request within 300 ms, so what only
// later stages need (undici's fetch, WebSocket and caches; @actions/http-client, which @actions/core imports for
// an OIDC token the action never asks for; the AWS signer for S3 layer URLs; publishing: the job summary's
// renderer, he's entity tables, artifact uploads) stays in chunks loaded on demand.
// Each is checked to be in dist/ all the same, so a pattern that no longer names it fails rather than passes.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DIST } from '../../support/action.ts'

/** The files a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`), not import(). */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8')
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) =>
    join(dirname(file), m[1]!),
  )
}

/** Every file the entry loads before it runs, the entry included. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const next of staticImports(file)) visit(next)
  }
  visit(entry)
  return [...seen]
}

/** The source files bundled into a chunk, from its linked source map. */
function sourcesOf(file: string): string[] {
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }
  return map.sources.map((s) => s.replace(/^(\.\.\/)+/, ''))
}

const LATER = [
  { what: "undici's index (fetch, WebSocket, caches)", source: /node_modules\/undici\/index\.js$/ },
  { what: "undici's fetch", source: /node_modules\/undici\/lib\/web\/fetch\/index\.js$/ },
  { what: '@actions/http-client', source: /node_modules\/@actions\/http-client\// },
  { what: 'the AWS signer', source: /node_modules\/@smithy\/signature-v4\// },
  { what: "the job summary's renderer", source: /^src\/report\/summary\.ts$/ },
  { what: "he's entity tables", source: /node_modules\/he\/he\.js$/ },
  { what: 'the artifact uploads', source: /^src\/github\/artifacts\.ts$/ },
]

describe(
  'what the bundled action loads before its first request',
  { skip: existsSync(DIST) ? false : 'dist/index.js is missing: run npm run build' },
  () => {
    const loaded = staticClosure(DIST).flatMap(sourcesOf)
    const everything = readdirSync(join(dirname(DIST), 'chunks'))
      .filter((name) => name.endsWith('.js'))
      .flatMap((name) => sourcesOf(join(dirname(DIST), 'chunks', name)))

    test('the entry loads its own code and the parts of undici the Clair client uses', () => {
      assert.ok(loaded.includes('src/main.ts'), `src/main.ts among ${loaded.length} sources`)
      assert.ok(loaded.includes('src/clair/client.ts'))
      assert.ok(loaded.includes('node_modules/undici/lib/dispatcher/agent.js'))
      assert.ok(loaded.includes('node_modules/undici/lib/api/api-request.js'))
    })

    for (const { what, source } of LATER) {
      test(`${what}: in dist/, loaded only on demand`, () => {
        assert.ok(
          everything.some((s) => source.test(s)),
          `${what} (${source}) is nowhere in dist/chunks: the pattern no longer names it`,
        )
        assert.deepEqual(
          loaded.filter((s) => source.test(s)),
          [],
          `${what} is loaded before the first request`,
        )
      })
    }
  },
)
