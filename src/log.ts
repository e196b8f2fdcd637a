// The one logger every stage writes to. The action passes actionLogger (src/github/log.ts, over
// @actions/core), the CLI and the demo consoleLogger; tests pass test/support/log.ts.
export interface Logger {
  info(message: string): void
  warning(message: string): void
  /** Shown only when debugging is on (ACTIONS_STEP_DEBUG in the action, CLAIR_CANARY_DEBUG in the CLI). */
  debug(message: string): void
  /** Runs work with its lines under one heading: a collapsible group in the action's log. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>
}

/** Lines go to stderr (stdout carries the verdict); groups add nothing, a terminal cannot fold them. */
export function consoleLogger(opts: { debug?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => console.error(line))
  return {
    info: (message) => write(message),
    warning: (message) => write(`warning: ${message}`),
    debug: (message) => {
      if (opts.debug) write(`debug: ${message}`)
    },
    group: (_name, work) => work(),
  }
}
