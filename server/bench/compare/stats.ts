/** HDR latency histograms (microseconds inside, milliseconds out) and medians over repetitions. */
import * as hdr from 'hdr-histogram-js'

export class Latency {
  readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  })

  /** Records a latency given in milliseconds. */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)))
  }

  get count(): number {
    return this.histogram.totalCount
  }

  summary() {
    const h = this.histogram
    const at = (p: number) => (h.totalCount === 0 ? Number.NaN : h.getValueAtPercentile(p) / 1000)
    return {
      count: h.totalCount,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: h.totalCount ? h.maxValue / 1000 : Number.NaN,
    }
  }
}

export interface Spread {
  median: number
  min: number
  max: number
  runs: number[]
}

export function spread(values: number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v))
  const sorted = [...finite].sort((a, b) => a - b)
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: values }
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values }
}
