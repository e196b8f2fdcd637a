// The one logger every stage writes to. The action passes actionLogger (src/github/log.ts, over
// @actions/core), the CLI and the demo consoleLogger; tests pass test/support/log.ts.
export interface Logger {
  info(message: string): void
  warning(message: string): void
  /** Shown only when debugging is on (ACTIONS_STEP_DEBUG in the action, CLAIR_CANARY_DEBUG in the CLI). */
  debug(message: string): void
  /** Runs work with its lines under one heading: a collapsible group in the action's log. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  /**
   * A transient line redrawn in place (a progress bar in a terminal); '' clears it. Loggers without it (the
   * action's log cannot redraw) get progress as an info line every few seconds instead.
   */
  status?(line: string): void
}

/**
 * Lines go to stderr (stdout carries the verdict); groups add nothing, a terminal cannot fold them. When
 * stderr is a terminal, progress is a bar redrawn in place.
 */
export function consoleLogger(
  opts: { debug?: boolean; write?: (line: string) => void; tty?: NodeJS.WriteStream } = {},
): Logger {
  const tty = opts.write ? opts.tty : (opts.tty ?? (process.stderr.isTTY ? process.stderr : undefined))
  let shown = false
  // A line written over a progress bar would be garbled: the bar is cleared first.
  const clear = () => {
    if (shown && tty) tty.write('\r\x1b[2K')
    shown = false
  }
  const write = (line: string) => {
    clear()
    if (opts.write) opts.write(line)
    else console.error(line)
  }
  return {
    info: (message) => write(message),
    warning: (message) => write(`warning: ${message}`),
    debug: (message) => {
      if (opts.debug) write(`debug: ${message}`)
    },
    // No heading: a terminal cannot fold a group, and a bad input must stay one line on stderr.
    group: (_name, work) => work(),
    ...(tty
      ? {
          status: (line: string) => {
            clear()
            if (line === '') return
            tty.write(line.slice(0, Math.max(20, (tty.columns || 120) - 1)))
            shown = true
          },
        }
      : {}),
  }
}
