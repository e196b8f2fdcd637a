// Safe GitHub-flavoured markdown from untrusted text. Digests, package names, versions and error messages
// come from reports and may hold |, <, >, backticks, newlines or markdown syntax; nothing here lets them
// break a table, open an HTML tag, format text, render math or mention someone.
import he from 'he'
import { markdownTable } from 'markdown-table'
import { truncate } from '../format.ts'

// Characters markdown (or GitHub's math and mentions) would interpret, written as numeric references so
// they render as themselves. he.escape has already taken & < > " ' and the backtick.
// `#` only where it does not begin one of he's own references (he has escaped every `&` of the input).
const MARKDOWN_SPECIAL = /[\\*_[\]~|$@!{}]|(?<!&)#/g

/** Inline text, safe anywhere (paragraphs, list items, table cells): one line, every special character escaped. */
export function text(value: string, max = Infinity): string {
  return he.escape(truncate(value, max)).replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`)
}

/** Inline code outside tables: a code span fenced longer than any backtick run inside it. */
export function code(value: string, max = Infinity): string {
  return fenced(truncate(value, max)) ?? text(value, max)
}

/**
 * Inline code for a table cell (digests, keys). Entities do not work in code spans, so only the pipe is
 * escaped: GFM unescapes \| inside table cells, code spans included (outside a table the backslash would show).
 */
export function codeCell(value: string, max = Infinity): string {
  return fenced(truncate(value, max).replace(/\|/g, '\\|')) ?? text(value, max)
}

function fenced(line: string): string | undefined {
  if (line.trim() === '') return undefined
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${line}${pad}${fence}`
}

export type Align = 'l' | 'r' | 'c'

/**
 * A GFM table from cells that are already markdown (escape untrusted values with text() or codeCell()).
 * Rows are padded or cut to the header's width; a stray newline in a cell becomes a space, so a table is
 * always whole. Delimiters are not aligned: padding costs bytes the summary budget needs.
 */
export function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align?: readonly Align[],
): string {
  const width = header.length
  const clean = (cell: string | undefined) => (cell ?? '').replace(/[\r\n]+/g, ' ')
  const matrix = [header, ...rows].map((row) => Array.from({ length: width }, (_, i) => clean(row[i])))
  return markdownTable(matrix, { alignDelimiters: false, ...(align ? { align: [...align] } : {}) })
}
