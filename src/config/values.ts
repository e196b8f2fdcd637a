// The one way an input's text becomes a number or a boolean: every refusal is a UserError naming the input and
// what was expected. Used by config.ts and by every option parser that reads inputs.
import { UserError } from '../errors.ts'

/** Any finite number; the range helpers below build on it. */
export function parseNumber(name: string, value: string): number {
  const n = Number(value)
  if (value === '' || !Number.isFinite(n))
    throw new UserError(`input ${name}: expected a number, got ${JSON.stringify(value)}`)
  return n
}

/** Above 0, and at most `max` (with `why` saying what sets that limit) when given. */
export function positive(name: string, value: string, max?: { max: number; why: string }): number {
  const n = parseNumber(name, value)
  if (n <= 0) throw new UserError(`input ${name}: expected a number above 0, got ${value}`)
  if (max && n > max.max) throw new UserError(`input ${name}: at most ${max.max} (${max.why}), got ${value}`)
  return n
}

export function nonNegative(name: string, value: string): number {
  const n = parseNumber(name, value)
  if (n < 0) throw new UserError(`input ${name}: expected 0 or more, got ${value}`)
  return n
}

/** Node's timers hold at most 2^31-1 ms; a longer delay silently becomes 1 ms. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

/** Seconds for a timer: above 0 (or 0 and above with `min` 0), and within what Node's timers can hold. */
export function seconds(name: string, value: string, min?: 0): number {
  const n = min === 0 ? nonNegative(name, value) : positive(name, value)
  if (n > MAX_TIMER_SECONDS)
    throw new UserError(`input ${name}: at most ${MAX_TIMER_SECONDS} seconds (about 24 days), got ${value}`)
  return n
}

export function integer(name: string, value: string, min: number, max: number): number {
  const n = parseNumber(name, value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UserError(`input ${name}: expected a whole number from ${min} to ${max}, got ${value}`)
  return n
}

export function fraction(name: string, value: string): number {
  const n = parseNumber(name, value)
  if (n < 0 || n > 1) throw new UserError(`input ${name}: expected a fraction from 0 to 1, got ${value}`)
  return n
}

export function parseBoolean(name: string, value: string): boolean {
  if (/^(true|yes|1|on)$/i.test(value.trim())) return true
  if (/^(false|no|0|off)$/i.test(value.trim())) return false
  throw new UserError(`input ${name}: expected true or false, got ${JSON.stringify(value)}`)
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value)
  if (found === undefined)
    throw new UserError(`input ${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return found
}
