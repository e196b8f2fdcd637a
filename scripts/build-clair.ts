// Builds (or reuses) the two real Clair releases the real-Clair tests and `npm run demo -- --clair real` run,
// and prints how long each took. Exit 2 with one line on bad input (no Go, no proxy, no such version).
import { errorMessage, UserError } from '../src/errors.ts'
import { buildClair, buildInfo, RELEASES } from '../test/support/real-clair/build.ts'

try {
  for (const release of Object.values(RELEASES)) {
    const build = await buildClair(release, { log: (line) => console.log(line) })
    const info = await buildInfo(build)
    console.log(
      `Clair ${release.name}: ${build.built ? 'built' : 'reused'} in ${build.seconds.toFixed(1)} s ` +
        `(${info.clairctlVersion}; ${build.dir})`,
    )
  }
} catch (error) {
  console.error(`build-clair: ${errorMessage(error)}`)
  process.exit(error instanceof UserError ? 2 : 4)
}
