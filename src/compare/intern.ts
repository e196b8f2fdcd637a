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
  private a = new Int32Array(1 << 12)
  private b = new Int32Array(1 << 12)
  private v = new Int32Array(1 << 12)
  private mask = (1 << 12) - 1
  private size = 0

  /** The number of a string ("" is always 1). */
  str(s: string): number {
    if (s === '') return 1
    let n = this.strings.get(s)
    if (n === undefined) this.strings.set(s, (n = this.next++))
    return n
  }

  /** The root of one kind of tuple ("vulnerability", ...): the same for both sides, shared by no string or tuple. */
  root(kind: string): number {
    let n = this.roots.get(kind)
    if (n === undefined) this.roots.set(kind, (n = this.next++))
    return n
  }

  /** The number of the tuple `prefix` extended by `field`. */
  pair(prefix: number, field: number): number {
    let i = hash(prefix, field) & this.mask
    for (;;) {
      const x = this.a[i] as number
      if (x === 0) break
      if (x === prefix && this.b[i] === field) return this.v[i] as number
      i = (i + 1) & this.mask
    }
    const n = this.next++
    this.a[i] = prefix
    this.b[i] = field
    this.v[i] = n
    if (++this.size * 2 > this.mask) this.grow()
    return n
  }

  private grow(): void {
    const { a, b, v } = this
    const cap = a.length * 2
    this.a = new Int32Array(cap)
    this.b = new Int32Array(cap)
    this.v = new Int32Array(cap)
    this.mask = cap - 1
    for (let j = 0; j < a.length; j++) {
      const x = a[j] as number
      if (x === 0) continue
      let i = hash(x, b[j] as number) & this.mask
      while (this.a[i] !== 0) i = (i + 1) & this.mask
      this.a[i] = x
      this.b[i] = b[j] as number
      this.v[i] = v[j] as number
    }
  }
}

function hash(x: number, y: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca6b)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  return h ^ (h >>> 12)
}
