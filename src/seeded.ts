// One seeded random source for everything that must be reproducible from run.json's seed
// (sample selection, re-read selection). mulberry32 over a 32-bit FNV-1a hash of the seed string.

export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mulberry32(h)
}

/** mulberry32: a small, fast PRNG with a 32-bit state, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** k items chosen without replacement, in their original order (reservoir-free: partial Fisher-Yates on indices). */
export function seededSubset<T>(items: readonly T[], k: number, seed: string): T[] {
  if (k >= items.length) return [...items]
  const random = seededRandom(seed)
  const idx = items.map((_, i) => i)
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (idx.length - i))
    ;[idx[i], idx[j]] = [idx[j]!, idx[i]!]
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i]!)
}
