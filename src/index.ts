// The action's entry point: nothing but run() (so @github/local-action can load src/main.ts).
import { run } from './main.ts'

await run()
