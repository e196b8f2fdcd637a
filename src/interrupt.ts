// SIGINT and SIGTERM, as the CLI and the action take them. The first stops the run: every request in flight on
// either side, the wait for readiness, the sample's query and the replay end at once, and the run goes on to
// compare and judge what it finished. The second stops that too: the run writes what it knows and exits. A
// GitHub runner cancelling a job sends SIGINT, then SIGTERM about 7.5 s later, then SIGKILL 2.5 s after that.
import { constants } from 'node:os'
import { formatDuration } from './format.ts'
import type { Logger } from './log.ts'

/** The reason an interrupted run's AbortSignals carry: which signal it was. */
export class Interrupted extends Error {
  readonly signalName: NodeJS.Signals
  constructor(signalName: NodeJS.Signals) {
    super(`received ${signalName}`)
    this.name = 'Interrupted'
    this.signalName = signalName
  }
}

/** The signal that stopped a run, from an AbortSignal aborted by an Interrupt; undefined for other aborts. */
export function interruptedBy(signal: AbortSignal | undefined): NodeJS.Signals | undefined {
  return signal?.aborted && signal.reason instanceof Interrupted ? signal.reason.signalName : undefined
}

/** How a shell reports a process a signal ended: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signalName: NodeJS.Signals): number {
  return 128 + constants.signals[signalName]
}

/** What process offers for signal handling; tests pass an EventEmitter. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown
  removeListener(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown
}

export interface Interrupt {
  /** Aborted at the first SIGINT/SIGTERM: network, readiness, the sample's query, the replay. */
  readonly stop: AbortSignal
  /** Aborted at the second: comparing stops too, and the run writes what it knows. */
  readonly force: AbortSignal
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined
  /** Resolves when the second signal arrives. */
  readonly forced: Promise<NodeJS.Signals>
  uninstall(): void
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

/** After the second signal, the process exits within this long whatever is still running (SIGKILL comes 2.5 s on). */
export const FORCED_EXIT_MS = 2000

/**
 * Takes over SIGINT and SIGTERM until uninstalled. After the second signal the process exits within
 * FORCED_EXIT_MS; a third signal exits at once. Either way with the first signal's code.
 */
export function installInterrupt(
  opts: { log?: Logger; proc?: SignalSource; exit?: (code: number) => void; forcedExitMs?: number } = {},
): Interrupt {
  const proc = opts.proc ?? process
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  const stopping = new AbortController()
  const forcing = new AbortController()
  let received: NodeJS.Signals | undefined
  let count = 0
  let onForced: (signal: NodeJS.Signals) => void = () => {}
  const forced = new Promise<NodeJS.Signals>((resolve) => (onForced = resolve))
  const onSignal = (signal: NodeJS.Signals): void => {
    count++
    if (count === 1) {
      received = signal
      opts.log?.warning(
        `received ${signal}: stopping the run; it compares and judges the manifests it finished (a second signal writes what is known and exits)`,
      )
      stopping.abort(new Interrupted(signal))
    } else if (count === 2) {
      opts.log?.warning(`received ${signal} again: writing what is known and exiting`)
      forcing.abort(new Interrupted(signal))
      onForced(signal)
      const code = signalExitCode(received ?? signal)
      const ms = opts.forcedExitMs ?? FORCED_EXIT_MS
      setTimeout(() => {
        // Said, so a run directory without run.json's finished_at reads as cut short here, not as a crash.
        opts.log?.warning(
          `exiting ${formatDuration(ms)} after the second signal: what was not written by then is left behind`,
        )
        exit(code)
      }, ms).unref()
    } else exit(signalExitCode(received ?? signal))
  }
  for (const s of SIGNALS) proc.on(s, onSignal)
  return {
    stop: stopping.signal,
    force: forcing.signal,
    get received() {
      return received
    },
    forced,
    uninstall: () => {
      // A cancelled run is on its way out with the first signal's code: the runner's next signal must not kill it
      // by default action in between (it read as killed by SIGTERM, not exit 130).
      if (received) return
      for (const s of SIGNALS) proc.removeListener(s, onSignal)
    },
  }
}

/** Resolves with work's value, or rejects with the signal's reason as soon as it aborts (work is left behind). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.reject(signal.reason as Error)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined)
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
