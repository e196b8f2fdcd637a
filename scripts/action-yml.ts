// Renders action.yml from the one input table (src/config/inputs.ts). `npx node scripts/action-yml.ts` rewrites it;
// a test fails when the committed action.yml differs.
import { writeFileSync } from 'node:fs'
import { stringify } from 'yaml'
import { INPUTS, OUTPUTS } from '../src/config/inputs.ts'

export function renderActionYml(): string {
  const doc = {
    name: 'clair-canary',
    description:
      'Replay real Quay manifests against a canary Clair, compare its reports with production by meaning, and publish a verdict that says why.',
    author: 'Clair maintainers',
    branding: { icon: 'shield', color: 'blue' },
    inputs: Object.fromEntries(
      INPUTS.map((i) => [
        i.name,
        { description: i.description, required: i.required ?? false, default: i.default },
      ]),
    ),
    outputs: Object.fromEntries(OUTPUTS.map((o) => [o.name, { description: o.description }])),
    runs: { using: 'node24', main: 'dist/index.js' },
  }
  return `# Generated from src/config/inputs.ts by scripts/action-yml.ts: edit the table, then run\n# npx node scripts/action-yml.ts\n${stringify(doc, { lineWidth: 0 })}`
}

if (import.meta.main) writeFileSync('action.yml', renderActionYml())
