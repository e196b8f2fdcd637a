// Rewrites the inputs and outputs tables in README.md from src/config/inputs.ts (between the marker comments).
// `npx node scripts/readme-tables.ts` updates it; a test fails when README.md is behind the table.
import { readFileSync, writeFileSync } from 'node:fs'
import { INPUTS, INPUT_GROUP_TITLES, OUTPUTS } from '../src/config/inputs.ts'

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function inputsTable(): string {
  const out: string[] = []
  for (const [group, title] of Object.entries(INPUT_GROUP_TITLES)) {
    out.push(`**${title}**`, '', '| input | default | description |', '| --- | --- | --- |')
    for (const i of INPUTS.filter((x) => x.group === group))
      out.push(
        `| \`${i.name}\` | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)}${i.secret ? ' *(secret)*' : ''} |`,
      )
    out.push('')
  }
  return out.join('\n').trimEnd()
}

export function outputsTable(): string {
  return [
    '| output | description |',
    '| --- | --- |',
    ...OUTPUTS.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`),
  ].join('\n')
}

export function renderReadme(text: string): string {
  return text
    .replace(/(<!-- inputs:start -->)[\s\S]*?(<!-- inputs:end -->)/, `$1\n${inputsTable()}\n$2`)
    .replace(/(<!-- outputs:start -->)[\s\S]*?(<!-- outputs:end -->)/, `$1\n${outputsTable()}\n$2`)
}

if (import.meta.main) writeFileSync('README.md', renderReadme(readFileSync('README.md', 'utf8')))
