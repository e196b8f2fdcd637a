import { inspect } from 'node:util'

/**
 * A value that must never reach a log, summary or artifact. JSON.stringify, String() and
 * util.inspect all print "[redacted]"; only reveal() gives the value, at the point of use.
 */
export class Secret<T = string> {
  readonly #value: T
  constructor(value: T) {
    this.#value = value
  }
  reveal(): T {
    return this.#value
  }
  toJSON(): string {
    return '[redacted]'
  }
  toString(): string {
    return '[redacted]'
  }
  [inspect.custom](): string {
    return '[redacted]'
  }
}
