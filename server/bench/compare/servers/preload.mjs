/**
 * Loaded into every server under test (`--import`, or NODE_OPTIONS for Plenary's tsx child): on
 * SIGUSR2 it collects garbage, then writes the event-loop delay since the last signal and the
 * memory figures to `$BENCH_PROBE_DIR/probe-<pid>.json`, and starts a fresh histogram.
 */
import fs from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import v8 from 'node:v8'
import vm from 'node:vm'

const dir = process.env.BENCH_PROBE_DIR
/**
 * The histogram's timer fires every RESOLUTION ms and records the whole time between two firings
 * (an idle loop shows 10 ms): the delay is what exceeds the interval.
 */
const RESOLUTION = 10
/** How long after a collection the memory is read (see below). */
const SETTLE_MS = 250
const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION)
if (dir) {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc')
  let histogram = monitorEventLoopDelay({ resolution: RESOLUTION })
  histogram.enable()
  process.on('SIGUSR2', () => {
    const h = histogram
    h.disable()
    const loop = {
      p50: delayMs(h.percentile(50)),
      p99: delayMs(h.percentile(99)),
      max: delayMs(h.max),
      mean: delayMs(h.mean),
    }
    gc()
    gc()
    // V8 hands the pages a collection freed back to the system from a background thread: read
    // right away, the first probe after start-up (the "start" of every memory figure) counted
    // about 10 MB that were already free, and a figure per document over 40 documents swung
    // between 80 and 350 KB. So the memory is read a little later, after another collection.
    setTimeout(() => {
      gc()
      const memory = process.memoryUsage()
      const file = path.join(dir, `probe-${process.pid}.json`)
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ loop, memory, at: Date.now() }))
      fs.renameSync(`${file}.tmp`, file)
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION })
      histogram.enable()
    }, SETTLE_MS)
  })
}
