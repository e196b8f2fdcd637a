// Whether a rule of the rules file (parsed in src/config/rules.ts) matches a difference.
import type { ExpectedChange, Match } from '../config/types.ts'
import type { Difference } from '../rundir/types.ts'

const globs = new Map<string, RegExp>()

/** A glob where `*` matches any run of characters (including none) and everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let re = globs.get(glob)
  if (!re) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')
    re = new RegExp(`^${body}$`, 's')
    globs.set(glob, re)
  }
  return re
}

/** Whether every field the rule sets matches the difference; key, ecosystem and updater are globs. */
export function matchRule(rule: Match, d: Difference): boolean {
  if (rule.report !== undefined && rule.report !== d.report) return false
  if (rule.kind !== undefined && rule.kind !== d.kind) return false
  if (rule.change !== undefined && rule.change !== d.change) return false
  if (rule.key !== undefined && !globToRegExp(rule.key).test(d.key)) return false
  if (rule.ecosystem !== undefined && !globToRegExp(rule.ecosystem).test(d.ecosystem ?? '')) return false
  if (rule.updater !== undefined && !globToRegExp(rule.updater).test(d.updater ?? '')) return false
  return true
}

/** An expected change applies through its expiry day; `today` is YYYY-MM-DD. */
export function isExpired(rule: ExpectedChange, today: string): boolean {
  return rule.expires < today
}
