// One benchmark figure: a measured value set against an anchor (a well-known tool or a target), so the
// number means something on any machine. Benchmarks inform; tests never assert timings.

export interface BenchFigure {
  name: string
  value: number
  unit: string
  /** What the value is compared with, e.g. "autocannon, 32 connections" or "target". */
  anchor: string
  anchorValue: number
  /** value / anchorValue (or whatever the goal reads, stated in `goal`). */
  ratio: number
  /** The goal in words, e.g. "ratio >= 0.7". */
  goal: string
  met: boolean
}

/** A bench module's default export. Return [] (and print why) when a figure is not measurable yet. */
export type Bench = () => Promise<BenchFigure[]>

/** ratio = value / anchorValue, NaN-safe. */
export function ratioOf(value: number, anchorValue: number): number {
  return anchorValue === 0 ? Number.NaN : value / anchorValue
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 100) return n.toFixed(0)
  if (Math.abs(n) >= 1) return n.toFixed(2)
  return n.toPrecision(3)
}

/** `name: value unit | anchor: anchorValue | ratio R (goal …) met/NOT met` */
export function formatFigure(f: BenchFigure): string {
  return (
    `${f.name}: ${fmt(f.value)} ${f.unit} | ${f.anchor}: ${fmt(f.anchorValue)} | ` +
    `ratio ${fmt(f.ratio)} (goal ${f.goal}) ${f.met ? 'met' : 'NOT met'}`
  )
}
