// Seeded randomness for the stand-in: everything derived from a seed string is reproducible.
import { createHash, randomBytes } from 'node:crypto'

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max]. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
  /** A new array in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[]
  hex(bytes: number): string
}

/** sfc32 seeded from sha256(seed): fast, small and good enough for test data. */
export function seededRng(seed: string): Rng {
  const h = createHash('sha256').update(seed).digest()
  let a = h.readUInt32LE(0)
  let b = h.readUInt32LE(4)
  let c = h.readUInt32LE(8)
  let d = h.readUInt32LE(12)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    const r = (t + d) | 0
    c = (c + r) | 0
    return (r >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return makeRng(next)
}

/** Unseeded: for what must differ between instances (database ids, map order). */
export function randomRng(): Rng {
  return seededRng(randomBytes(16).toString('hex'))
}

function makeRng(next: () => number): Rng {
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)] as (typeof items)[number]
    },
    chance: (p) => next() < p,
    shuffle: (items) => {
      const out = items.slice()
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        const tmp = out[i] as (typeof out)[number]
        out[i] = out[j] as (typeof out)[number]
        out[j] = tmp
      }
      return out
    },
    hex: (bytes) => {
      let s = ''
      for (let i = 0; i < bytes; i++)
        s += Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0')
      return s
    },
  }
  return rng
}

/** A stable fraction in [0, 1) for a key: picks "a deterministic subset" without shared state. */
export function hashFraction(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\0')).digest().readUInt32BE(0) / 4294967296
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${sha256Hex(data)}`
}
