// The action's entry point: nothing but run() (so @github/local-action can load src/main.ts).
import { run } from './main.ts'

// A cancelled run ends now: a socket it abandoned must not hold the process until the runner's SIGKILL.
const code = await run()
if (code !== undefined) process.exit(code)
