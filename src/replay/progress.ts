// Progress of a long stage, as a maintainer watching the log wants it: done of total, errors, rate and ETA, on one
// line every few seconds (the action's log), or as a bar redrawn in place (a terminal, through Logger.status).
import { formatDuration } from '../format.ts'
import type { Logger } from '../log.ts'

export interface ProgressCounts {
  done: number
  errors: number
}

export interface ProgressOptions {
  /** "replay: indexing on the canary" */
  label: string
  total: number
  /** What is counted, plural ("manifests"). */
  unit: string
  log: Logger
  read: () => ProgressCounts
  /** Milliseconds between lines in a log (default 5000); a terminal's bar is redrawn every second. */
  intervalMs?: number
  now?: () => number
  /** Calls fn every ms until the returned function is called (default: an unref'd setInterval). */
  every?: (fn: () => void, ms: number) => () => void
}

function everyMs(fn: () => void, ms: number): () => void {
  const timer = setInterval(fn, ms)
  timer.unref()
  return () => clearInterval(timer)
}

/** Starts reporting; the returned function stops it and writes the final line. */
export function startProgress(opts: ProgressOptions): () => void {
  const now = opts.now ?? (() => performance.now())
  const started = now()
  const bar = opts.log.status !== undefined
  const interval = bar ? 1000 : (opts.intervalMs ?? 5000)
  const report = () => {
    const line = progressLine(opts, opts.read(), now() - started)
    if (opts.log.status) opts.log.status(line)
    else opts.log.info(line)
  }
  const stop = (opts.every ?? everyMs)(report, interval)
  return () => {
    stop()
    opts.log.status?.('')
  }
}

/** "replay: indexing on the canary [#####-----] 120/2000 manifests (6%), 3 errors, 4.0/s, ETA 7m50s" */
export function progressLine(
  opts: Pick<ProgressOptions, 'label' | 'total' | 'unit' | 'log'>,
  counts: ProgressCounts,
  elapsedMs: number,
): string {
  const { done, errors } = counts
  const fraction = opts.total > 0 ? Math.min(1, done / opts.total) : 1
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const eta =
    rate > 0 && done < opts.total ? `ETA ${formatDuration(((opts.total - done) / rate) * 1000)}` : 'ETA —'
  const width = 20
  const filled = Math.round(fraction * width)
  const bar = opts.log.status ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : ''
  return (
    `${opts.label}${bar} ${done}/${opts.total} ${opts.unit} (${Math.floor(fraction * 100)}%), ` +
    `${errors} ${errors === 1 ? 'error' : 'errors'}, ${rate.toFixed(1)}/s, ${eta}`
  )
}
