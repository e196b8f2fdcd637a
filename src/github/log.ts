// The action's Logger: @actions/core's workflow commands (warnings are annotated, debug shows with step debugging).
import * as core from '@actions/core'
import type { Logger } from '../log.ts'

export const actionLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  group: (name, work) => core.group(name, work),
}
