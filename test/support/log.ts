// Loggers for tests: one that drops everything, one that keeps every line for assertions.
import type { Logger } from '../../src/log.ts'

export interface RecordingLogger extends Logger {
  infos: string[]
  warnings: string[]
  debugs: string[]
  groups: string[]
}

export function recordingLogger(): RecordingLogger {
  const log: RecordingLogger = {
    infos: [],
    warnings: [],
    debugs: [],
    groups: [],
    info: (message) => void log.infos.push(message),
    warning: (message) => void log.warnings.push(message),
    debug: (message) => void log.debugs.push(message),
    group: (name, work) => {
      log.groups.push(name)
      return work()
    },
  }
  return log
}

export const quietLogger: Logger = {
  info: () => {},
  warning: () => {},
  debug: () => {},
  group: (_name, work) => work(),
}
