// Interning content into small integers, shared by both sides of a comparison.
//
// Content keys built as strings (fields joined with \x1f) cost a concatenation, a flatten and a hash of a
// long string per object, and most of them are equal on both sides. Instead a tuple of fields is interned
// link by link: each string gets a number once (Map lookups on short strings, whose hash V8 caches), and a
// tuple is a chain of (prefix number, field number) pairs in an open-addressed integer table. Equal tuples
// get equal numbers on both sides, nothing is allocated for a tuple seen before, and readable keys are only
// built for the differences that are reported.

/** Numbers of strings and of tuples of numbers; one instance per comparison, shared by both sides. */
export class Interner {
  private readonly strings = new Map<string, number>()
  private readonly roots = new Map<string, number>()
  private next = 2
  /** Open-addressed (prefix, field) -> number, one 16-byte slot each so a probe touches one cache line. */
  private slots = new Int32Array(4 << 12)
  private mask = (1 << 12) - 1
  private size = 0

  /** The number of a string ("" is always 1). */
  str(s: string): number {
    if (s === '') return 1
    let n = this.strings.get(s)
    if (n === undefined) this.strings.set(s, (n = this.next++))
    return n
  }

  /** The root of one kind of tuple ("package", ...): the same for both sides, shared by no string or tuple. */
  root(kind: string): number {
    let n = this.roots.get(kind)
    if (n === undefined) this.roots.set(kind, (n = this.next++))
    return n
  }

  /** The number of the tuple `prefix` (a root or a tuple, never 0) extended by `field`. */
  pair(prefix: number, field: number): number {
    const slots = this.slots
    const mask = this.mask
    let i = hash(prefix, field) & mask
    for (;;) {
      const x = slots[i << 2] as number
      if (x === 0) break
      if (x === prefix && slots[(i << 2) + 1] === field) return slots[(i << 2) + 2] as number
      i = (i + 1) & mask
    }
    const n = this.next++
    slots[i << 2] = prefix
    slots[(i << 2) + 1] = field
    slots[(i << 2) + 2] = n
    if (++this.size * 2 > mask) this.grow()
    return n
  }

  private grow(): void {
    const old = this.slots
    const cap = (old.length >> 2) * 2
    const slots = new Int32Array(cap << 2)
    const mask = cap - 1
    for (let j = 0; j < old.length; j += 4) {
      const x = old[j] as number
      if (x === 0) continue
      const y = old[j + 1] as number
      let i = hash(x, y) & mask
      while (slots[i << 2] !== 0) i = (i + 1) & mask
      slots[i << 2] = x
      slots[(i << 2) + 1] = y
      slots[(i << 2) + 2] = old[j + 2] as number
    }
    this.slots = slots
    this.mask = mask
  }
}

/**
 * A tuple of `width` strings interned link by link, remembering the previous tuple: objects come in runs
 * that share most fields, so only the links from the first field that differs are looked up. Put the
 * fields that vary most last. Fill `fields`, then call id().
 */
export class TupleInterner {
  readonly fields: string[]
  private readonly I: Interner
  private readonly last: Array<string | undefined>
  /** prefix[k]: the number of the previous tuple's first k fields; prefix[0] is the root. */
  private readonly prefix: Int32Array

  constructor(I: Interner, kind: string, width: number) {
    this.I = I
    this.fields = new Array<string>(width).fill('')
    this.last = new Array<string | undefined>(width).fill(undefined)
    this.prefix = new Int32Array(width + 1)
    this.prefix[0] = I.root(kind)
  }

  id(): number {
    const { fields, last, prefix } = this
    const width = fields.length
    let k = 0
    while (k < width && fields[k] === last[k]) k++
    let n = prefix[k] as number
    for (; k < width; k++) {
      const f = fields[k] as string
      n = this.I.pair(n, this.I.str(f))
      last[k] = f
      prefix[k + 1] = n
    }
    return n
  }
}

function hash(x: number, y: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca6b)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  return h ^ (h >>> 12)
}
