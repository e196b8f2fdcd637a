// A demo scenario (blob server, production and canary stand-ins) in a process of its own, so the stand-ins' work
// does not eat into the event loop a bench measures. Prints one JSON line: the scenario's inputs and manifests;
// stops on SIGTERM. Used by replay.bench.ts: `node bench/standin-process.ts COUNT`.
import { startScenario } from '../demo/scenario.ts'

const count = Number(process.argv[2] ?? 100)
const scenario = await startScenario({ count, canaryProfile: 'clean', concurrencyLimit: -1 })
process.stdout.write(JSON.stringify({ inputs: scenario.inputs, manifests: scenario.manifests }) + '\n')
process.once('SIGTERM', () => {
  void scenario.close().then(() => process.exit(0))
})
