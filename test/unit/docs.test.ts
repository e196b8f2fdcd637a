// Drift protection: action.yml and README.md must be what the one input table says.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUTS, OUTPUTS } from '../../src/config/inputs.ts'
import { renderActionYml } from '../../scripts/action-yml.ts'
import { renderReadme } from '../../scripts/readme-tables.ts'
import { TOOL_VERSION } from '../../src/version.ts'

test('action.yml is generated from the input table (run node scripts/action-yml.ts)', () => {
  assert.equal(readFileSync('action.yml', 'utf8'), renderActionYml())
  const doc = parse(readFileSync('action.yml', 'utf8')) as {
    runs: { using: string }
    inputs: Record<string, { description: string }>
    outputs: Record<string, { description: string }>
  }
  assert.equal(doc.runs.using, 'node24')
  for (const input of INPUTS) assert.ok(doc.inputs[input.name]!.description.length > 10, input.name)
  for (const output of OUTPUTS) assert.ok(doc.outputs[output.name]!.description.length > 5, output.name)
})

test('README.md explains every input and output (run node scripts/readme-tables.ts)', () => {
  const readme = readFileSync('README.md', 'utf8')
  assert.equal(readme, renderReadme(readme))
  for (const input of INPUTS)
    assert.ok(readme.includes(`\`${input.name}\``), `README misses input ${input.name}`)
  for (const output of OUTPUTS)
    assert.ok(readme.includes(`\`${output.name}\``), `README misses output ${output.name}`)
})

test('the README starts with the two commands', () => {
  const readme = readFileSync('README.md', 'utf8')
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  assert.deepEqual(firstBlock.trim().split('\n'), ['npm ci && npm run demo', 'npm test'])
})

test('src/version.ts matches package.json', () => {
  assert.equal(
    TOOL_VERSION,
    (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
  )
})

test('the rules examples in the README and examples/ parse', async () => {
  const { parseRules } = await import('../../src/config/rules.ts')
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('## Rules file'))
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(yaml, 'the Rules file section shows a YAML example')
  assert.equal(parseRules(yaml, 'README.md').gates.minCompared, 50)
  const example = parseRules(
    readFileSync('examples/clair-canary.rules.yml', 'utf8'),
    'examples/clair-canary.rules.yml',
  )
  assert.equal(example.ignore.length, 1)
})
