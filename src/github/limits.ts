// GitHub's limits on what we publish (../shared/github/ACTIONS.md sections 0, 2.2, 2.3), and the one way we
// shorten text to fit them: by UTF-8 bytes (safe for both "characters" and "bytes" limits), never
// splitting a character.
import { utf8Bytes } from '../format.ts'

export const LIMITS = {
  /** Check run output.summary and output.text (documented as characters; we count bytes to be safe). */
  checkOutputBytes: 65_535,
  /** Check run output.title has no documented limit; we keep it to an annotation title's size. */
  checkTitleChars: 255,
  annotationsPerRequest: 50,
  annotationTitleChars: 255,
  /** Annotation message and raw_details: 64 KB. */
  annotationMessageBytes: 64_000,
  /** The runner keeps 10 workflow-command annotations per type per step and cuts each at 4096 characters. */
  workflowAnnotationsPerType: 10,
  workflowAnnotationChars: 4_000,
  /** $GITHUB_STEP_SUMMARY: 1 MiB per step. */
  jobSummaryBytes: 1024 * 1024,
} as const

/** Cuts text to at most maxBytes UTF-8 bytes, ending with an ellipsis when cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text
  const ellipsis = '…'
  // Only the head is encoded: a cut needs at most maxBytes characters.
  const buf = Buffer.from(text.slice(0, maxBytes), 'utf8')
  let end = maxBytes - utf8Bytes(ellipsis)
  // Back off to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--
  return buf.subarray(0, end).toString('utf8') + ellipsis
}

/** Cuts text to at most maxChars code points (titles are limited in characters). */
export function truncateChars(text: string, maxChars: number): string {
  const chars = [...text]
  if (chars.length <= maxChars) return text
  return chars.slice(0, maxChars - 1).join('') + '…'
}
