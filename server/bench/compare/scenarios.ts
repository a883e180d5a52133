/**
 * The scenarios, each run against one freshly started server: "many documents" (N documents × 5
 * clients, one typist each at 4 edits/s with cursors) and "hot document" (one document, 200
 * clients, typists stepped 10 → 40 → 100 → 200). Open loop: every edit has a scheduled time, and
 * latency counts from it, however late the load generator sends it.
 */
import { seededRandom } from '@plenary/shared/seededRandom'
import * as Y from 'yjs'
import type { Running } from './servers.ts'
import { Latency } from './stats.ts'
import { listUnderLoad, prepareThreads, saturation } from './threadsLoad.ts'
import { Lane, laneParagraphs, offsetLimit, paragraphsText, type Trace, textsAt } from './trace.ts'
import {
  awarenessFrame,
  type Client,
  type Counters,
  connect,
  EditLog,
  LatencyTracker,
  newCounters,
  pool,
  syncUpdate,
} from './wire.ts'

export const FIELD = 'default'
const EDITS_PER_SECOND = 4
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const kb = (bytes: number) => bytes / 1024

interface Observer {
  client: Client
  doc: Y.Doc
}

interface Typist {
  client: Client
  doc: Y.Doc
  lane: Lane
  clock: number
  awarenessClock: number
  echoes: boolean
  /** Set while durability is measured: called with each `saved` state vector (Plenary only). */
  onSaved: ((stored: Map<number, number>, at: number) => void) | null
}

/**
 * Update to durable: from an edit's scheduled time to the `saved` message whose state vector
 * covers it (the commit, fsync included, is done). Plenary only: the baselines send no such word.
 */
function measureDurability(t: Typist, log: EditLog, latency: Latency): void {
  let index = 0
  t.onSaved = (stored, at) => {
    const entry = log.get(t.doc.clientID)
    const clock = stored.get(t.doc.clientID) ?? 0
    while (entry && index < entry.clocks.length && entry.clocks[index] <= clock) {
      latency.record(at - entry.scheduled[index])
      index += 1
    }
  }
}

/** A full Yjs client that seeds the document with the lanes' paragraphs and stays to observe. */
async function seed(server: Running, name: string, lanes: [number, string][], counters: Counters) {
  const doc = new Y.Doc()
  const client = await connect({ target: server.target, doc: name, counters, ydoc: doc })
  await client.synced
  let update: Uint8Array | null = null
  doc.once('update', (u: Uint8Array) => {
    update = u
  })
  doc.transact(() => {
    const fragment = doc.getXmlFragment(FIELD)
    if (fragment.length > 0) fragment.delete(0, fragment.length)
    fragment.insert(
      0,
      lanes.flatMap(([index, text]) => laneParagraphs(index, text)),
    )
  })
  client.send(syncUpdate(client.prefix, update as unknown as Uint8Array))
  return { client, doc } satisfies Observer
}

async function observer(server: Running, name: string, counters: Counters): Promise<Observer> {
  const doc = new Y.Doc()
  const client = await connect({ target: server.target, doc: name, counters, ydoc: doc })
  await client.synced
  return { client, doc }
}

/** A typist: a Yjs document that applies what arrives until its lane is there, then only writes. */
async function typist(
  server: Running,
  name: string,
  trace: Trace,
  laneIndex: number,
  offset: number,
  text: string,
  counters: Counters,
  tracker?: (ownClient: number) => LatencyTracker | undefined,
): Promise<Typist> {
  const doc = new Y.Doc()
  const lane = new Lane(laneIndex, doc, FIELD, trace, offset, text)
  let attached = false
  let self: Typist | null = null
  const client = await connect({
    onSaved: (stored, at) => self?.onSaved?.(stored, at),
    // Several instances: typists alternate between them.
    target: server.targets?.[laneIndex % server.targets.length] ?? server.target,
    doc: name,
    counters,
    ydoc: doc,
    apply: () => !attached,
    ownClient: doc.clientID,
    tracker: tracker?.(doc.clientID),
  })
  await client.synced
  for (let i = 0; i < 500 && !attached; i++) {
    attached = lane.attach()
    if (!attached) await sleep(20)
  }
  if (!attached) throw new Error(`compare: ${server.kind}: lane ${laneIndex} of ${name} never arrived`)
  self = {
    client,
    doc,
    lane,
    clock: Y.getState(doc.store, doc.clientID),
    awarenessClock: 0,
    echoes: server.kind !== 'plenary',
    onSaved: null,
  }
  return self
}

/** One edit from the trace, its update and the typist's cursor (awareness) right after it. */
function edit(t: Typist, scheduled: number, log: EditLog, cursors: boolean): boolean {
  let update: Uint8Array | null = null
  const listener = (u: Uint8Array) => {
    update = u
  }
  t.doc.on('update', listener)
  const more = t.lane.step()
  t.doc.off('update', listener)
  if (!update) return more
  const clock = Y.getState(t.doc.store, t.doc.clientID)
  if (clock > t.clock) {
    log.record(t.doc.clientID, clock, scheduled)
    t.clock = clock
  } else if (t.echoes) t.client.pendingEchoes.push(update)
  t.client.send(syncUpdate(t.client.prefix, update))
  if (!cursors) return more
  const caret = t.lane.caret
  const position = caret
    ? Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(caret[0], caret[1]))
    : null
  t.awarenessClock += 1
  t.client.send(
    awarenessFrame(t.client.prefix, t.doc.clientID, t.awarenessClock, {
      user: { name: `Typist ${t.lane.index}`, color: '#30bced' },
      cursor: position ? { anchor: position, head: position } : null,
    }),
  )
  return more
}

/** Every typist edits `perSecond` times a second, phases spread evenly, for `seconds`; returns edits sent. */
async function typeFor(
  typists: Typist[],
  seconds: number,
  log: EditLog,
  cursors: boolean,
  perSecond = EDITS_PER_SECOND,
): Promise<number> {
  const interval = 1000 / perSecond
  const started = performance.now()
  const end = started + seconds * 1000
  let sent = 0
  const timers: NodeJS.Timeout[] = []
  typists.forEach((t, index) => {
    const offset = (index / typists.length) * interval
    let n = 0
    const tick = () => {
      const now = performance.now()
      // Open loop: every edit whose time has come is sent now, however late.
      while (started + offset + n * interval <= now) {
        const scheduled = started + offset + n * interval
        if (scheduled >= end) return
        edit(t, scheduled, log, cursors)
        sent += 1
        n += 1
      }
      timers[index] = setTimeout(tick, Math.max(0, started + offset + n * interval - performance.now()))
    }
    timers[index] = setTimeout(tick, offset)
  })
  await sleep(seconds * 1000 + 5)
  for (const timer of timers) clearTimeout(timer)
  return sent
}

/**
 * Waits until every observer holds every typist's edits and each lane reads, paragraph by
 * paragraph, as its typist wrote it; throws (the run fails) when that does not happen in time.
 */
async function converge(server: Running, name: string, observers: Observer[], typists: Typist[]) {
  const check = () => {
    const problems: string[] = []
    for (const t of typists) {
      const own = paragraphsText(
        t.lane.ids.map((id) => findParagraphs(t.doc).get(id) as Y.XmlElement).filter(Boolean),
      )
      if (own !== t.lane.text) problems.push(`typist ${t.lane.index}'s own paragraphs differ from the trace`)
    }
    for (const [o, observer] of observers.entries()) {
      const paragraphs = findParagraphs(observer.doc)
      for (const t of typists) {
        if (Y.getState(observer.doc.store, t.doc.clientID) < t.clock) {
          problems.push(`observer ${o} lacks edits of typist ${t.lane.index}`)
          continue
        }
        const found = t.lane.ids.map((id) => paragraphs.get(id))
        if (found.some((p) => !p) || paragraphsText(found as Y.XmlElement[]) !== t.lane.text) {
          problems.push(`observer ${o} reads lane ${t.lane.index} differently`)
        }
      }
    }
    const first = observers[0]?.doc.getXmlFragment(FIELD).toString()
    for (const o of observers.slice(1)) {
      if (o.doc.getXmlFragment(FIELD).toString() !== first) problems.push('observers differ')
    }
    return problems
  }
  const waitFrom = performance.now()
  let problems = check()
  for (let i = 0; i < 600 && problems.length > 0; i++) {
    await sleep(100)
    problems = check()
  }
  if (problems.length > 0) {
    throw new Error(
      `compare: ${server.kind}: ${name} did not converge: ${problems.slice(0, 5).join('; ')} (${problems.length} problems)`,
    )
  }
  const drainMs = performance.now() - waitFrom
  // A client that joins now must get the same text from the server.
  const fresh = await observer(server, name, newCounters())
  const want = observers[0].doc.getXmlFragment(FIELD).toString()
  let got = fresh.doc.getXmlFragment(FIELD).toString()
  for (let i = 0; i < 50 && got !== want; i++) {
    await sleep(100)
    got = fresh.doc.getXmlFragment(FIELD).toString()
  }
  await fresh.client.close()
  if (got !== want) throw new Error(`compare: ${server.kind}: a fresh client of ${name} got another text`)
  return drainMs
}

function findParagraphs(doc: Y.Doc): Map<string, Y.XmlElement> {
  const map = new Map<string, Y.XmlElement>()
  for (const node of doc.getXmlFragment(FIELD).toArray()) {
    if (node instanceof Y.XmlElement) {
      const id = node.getAttribute('id')
      if (typeof id === 'string') map.set(id, node)
    }
  }
  return map
}

const laneOffsets = (count: number, limit: number, seed: number) => {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => Math.floor(random() * limit))
}

export interface ManyDocumentsConfig {
  documents: number
  seconds: number
}

/** N documents × 5 clients: one typist (lane of about 2 KB), one observer, three thin readers. */
export async function manyDocuments(server: Running, trace: Trace, config: ManyDocumentsConfig) {
  const { documents, seconds } = config
  const offsets = laneOffsets(documents, offsetLimit(trace, 2000), 11)
  const texts = textsAt(trace, offsets)
  const start = await server.probe()
  const names = await pool(
    Array.from({ length: documents }, (_, i) => i),
    8,
    (i) => server.createDocument(i),
  )
  const observerCounters = newCounters()
  const observers = await pool(names, 16, (name, d) =>
    seed(server, name, [[d, texts.get(offsets[d]) as string]], observerCounters),
  )
  await sleep(500)
  const loaded = await server.probe()

  const latency = new Latency()
  const log = new EditLog()
  const readerCounters = newCounters()
  const readers = (
    await pool(names, 16, (name) =>
      Promise.all(
        [0, 1, 2].map(() =>
          connect({
            target: server.target,
            doc: name,
            counters: readerCounters,
            tracker: new LatencyTracker(log, latency),
          }),
        ),
      ),
    )
  ).flat()
  await Promise.all(readers.map((r) => r.synced))
  await sleep(500)
  const idle = await server.probe()

  const typistCounters = newCounters()
  const typists = await pool(names, 16, (name, d) =>
    typist(server, name, trace, d, offsets[d], texts.get(offsets[d]) as string, typistCounters),
  )
  await sleep(300)
  const durable = new Latency()
  for (const t of typists) measureDurability(t, log, durable)
  for (const c of [readerCounters, observerCounters, typistCounters]) Object.assign(c, newCounters())
  await server.probe()
  const cpuBefore = server.cpuMicros()
  const loadBefore = process.cpuUsage()
  const sent = await typeFor(typists, seconds, log, true)
  const loadCpu = process.cpuUsage(loadBefore)
  await sleep(300)
  const cpu = server.cpuMicros() - cpuBefore
  const load = await server.probe()
  // Taken now: the thread-list round below types again, on the same trackers and counters. The
  // frames were once counted after it, for Plenary only (the baselines have no thread list), which
  // halved Plenary's CPU per delivered frame.
  const fanout = latency.summary()
  const durableMs = durable.summary()
  const counted = [readerCounters, observerCounters, typistCounters]
  const updateFrames = counted.reduce((sum, c) => sum + c.updateFrames, 0)
  const awarenessFrames = counted.reduce((sum, c) => sum + c.awarenessFrames, 0)

  // Comments API under load (Plenary): the same typing again, not counted above, while the thread
  // list of a 200-thread document is requested at half its saturation rate.
  let threads: Awaited<ReturnType<typeof listUnderLoad>> & {
    saturationPerSecond: number
    saturationServerCpuPercent: number
    saturationLoadCpuPercent: number
  } = {
    saturationPerSecond: Number.NaN,
    saturationServerCpuPercent: Number.NaN,
    saturationLoadCpuPercent: Number.NaN,
    perSecond: Number.NaN,
    requests: 0,
    errors: 0,
    latencyMs: new Latency().summary(),
  }
  if (server.api) {
    const list = await prepareThreads(server.api)
    // Both processes' CPU over the saturation run say which of the two it measured.
    const serverBefore = server.cpuMicros()
    const loadBefore = process.cpuUsage()
    const saturationStarted = performance.now()
    const saturationPerSecond = await saturation(server.api, list)
    const saturationMicros = (performance.now() - saturationStarted) * 1000
    const saturationLoad = process.cpuUsage(loadBefore)
    const saturationServerCpuPercent = ((server.cpuMicros() - serverBefore) / saturationMicros) * 100
    const saturationLoadCpuPercent = ((saturationLoad.user + saturationLoad.system) / saturationMicros) * 100
    const [listed] = await Promise.all([
      listUnderLoad(server.api, list, saturationPerSecond / 2, seconds),
      typeFor(typists, seconds, log, true),
    ])
    threads = { ...listed, saturationPerSecond, saturationServerCpuPercent, saturationLoadCpuPercent }
  }

  let drainMs = 0
  for (let d = 0; d < documents; d++) {
    drainMs = Math.max(drainMs, await converge(server, names[d], [observers[d]], [typists[d]]))
  }
  await Promise.all(
    [...readers, ...observers.map((o) => o.client), ...typists.map((t) => t.client)].map((c) => c.close()),
  )

  const perIdleConnection = kb(idle.memory.rss - loaded.memory.rss) / readers.length
  return {
    documents,
    clients: documents * 5,
    seconds,
    sent,
    updateFrames,
    awarenessFrames,
    fanoutMs: fanout,
    durableMs,
    threads,
    cpuPercent: (cpu / (seconds * 1e6 + 300_000)) * 100,
    loadCpuPercent: ((loadCpu.user + loadCpu.system) / (seconds * 1e6)) * 100,
    drainMs,
    cpuMicrosPerFrame: cpu / (updateFrames + awarenessFrames),
    cpuMicrosPerUpdate: cpu / sent,
    kbPerIdleConnection: perIdleConnection,
    kbPerLoadedDocument: kb(loaded.memory.rss - start.memory.rss) / documents - perIdleConnection,
    heapKbPerIdleConnection: kb(idle.memory.heapUsed - loaded.memory.heapUsed) / readers.length,
    loopDelayMs: load.loop,
    rssMb: {
      start: start.memory.rss / 2 ** 20,
      loaded: loaded.memory.rss / 2 ** 20,
      end: load.memory.rss / 2 ** 20,
    },
  }
}

/** What one participant pastes in the burst: about 2 KB in three paragraphs. */
const PASTE = (() => {
  const sentence =
    'Recalling the decision of the Conference of States Parties on the multi-year workplan, the working group shall report on progress. '
  const paragraph = sentence.repeat(6).slice(0, 680)
  return `${paragraph}\n${paragraph}\n${paragraph}`
})()
export const PASTE_BYTES = Buffer.byteLength(PASTE)
const BURST_WINDOW_MS = 10

/**
 * Paste burst: every participant pastes ~2 KB within 10 ms. Reports the server's event-loop delay
 * over the burst and how long the pastes took to reach the sampling participants (latency from
 * each paste's scheduled time).
 */
async function pasteBurst(server: Running, participants: Typist[], log: EditLog, trackers: LatencyTracker[]) {
  await sleep(300)
  await server.probe()
  const latency = new Latency()
  for (const t of trackers) t.latency = latency
  const cpuBefore = server.cpuMicros()
  const started = performance.now()
  await Promise.all(
    participants.map(
      (t, i) =>
        new Promise<void>((resolve) => {
          const scheduled = started + (i / participants.length) * BURST_WINDOW_MS
          setTimeout(
            () => {
              let update: Uint8Array | null = null
              const listener = (u: Uint8Array) => {
                update = u
              }
              t.doc.on('update', listener)
              t.lane.paste(PASTE)
              t.doc.off('update', listener)
              const clock = Y.getState(t.doc.store, t.doc.clientID)
              log.record(t.doc.clientID, clock, scheduled)
              t.clock = clock
              if (update) t.client.send(syncUpdate(t.client.prefix, update))
              resolve()
            },
            Math.max(0, scheduled - performance.now()),
          )
        }),
    ),
  )
  const sentWithinMs = performance.now() - started
  // Until every sampler saw every paste (or 10 s).
  const expected = trackers.length * (participants.length - 1)
  for (let i = 0; i < 200 && latency.summary().count < expected; i++) await sleep(50)
  const cpu = server.cpuMicros() - cpuBefore
  const probe = await server.probe()
  return {
    clients: participants.length,
    bytesEach: PASTE_BYTES,
    sentWithinMs,
    latencyMs: latency.summary(),
    delivered: latency.summary().count,
    expected,
    loopDelayMs: probe.loop,
    cpuMillis: cpu / 1000,
  }
}

/** A step of the hot document: how many typists, each typing this many edits a second. */
export type HotStep = { typists: number; editsPerSecond: number }

export interface HotDocumentConfig {
  clients: number
  steps: HotStep[]
  secondsPerStep: number
}

/** One document (one lane of about 300 characters per client), clients all connected, typists stepped up. */
export async function hotDocument(server: Running, trace: Trace, config: HotDocumentConfig) {
  const { clients, steps, secondsPerStep } = config
  const offsets = laneOffsets(clients, offsetLimit(trace, 300), 23)
  const texts = textsAt(trace, offsets)
  const [name] = [await server.createDocument(0)]
  const observerCounters = newCounters()
  const seeder = await seed(
    server,
    name,
    offsets.map((offset, i) => [i, texts.get(offset) as string]),
    observerCounters,
  )
  await sleep(300)
  const observers = [
    seeder,
    ...(await Promise.all([0, 1].map(() => observer(server, name, observerCounters)))),
  ]
  const log = new EditLog()
  let latency = new Latency()
  const trackers: LatencyTracker[] = []
  const samplers = 20
  const counters = newCounters()
  const participants = await pool(
    Array.from({ length: clients }, (_, i) => i),
    16,
    (i) =>
      // Only the last `samplers` participants decode for latency; the others count frames.
      typist(server, name, trace, i, offsets[i], texts.get(offsets[i]) as string, counters, (own) => {
        if (i < clients - samplers) return undefined
        const tracker = new LatencyTracker(log, latency, own)
        trackers.push(tracker)
        return tracker
      }),
  )
  await sleep(300)
  await server.probe()

  const results = []
  for (const { typists: typing, editsPerSecond } of steps) {
    // Past a step whose p99 exceeded a second (server or load generator saturated), stop stepping.
    if (results.length > 0 && (results.at(-1)?.latencyMs.p99 ?? 0) > 1000) break
    latency = new Latency()
    for (const t of trackers) t.latency = latency
    Object.assign(counters, newCounters())
    Object.assign(observerCounters, newCounters())
    const cpuBefore = server.cpuMicros()
    const loadBefore = process.cpuUsage()
    const sent = await typeFor(participants.slice(0, typing), secondsPerStep, log, false, editsPerSecond)
    const loadCpu = process.cpuUsage(loadBefore)
    // The CPU is read after the step's backlog drained, as the frames are counted: read before it,
    // the frames of a server that lags came without their cost.
    await sleep(400)
    const cpu = server.cpuMicros() - cpuBefore
    const probeAsked = performance.now()
    const probe = await server.probe()
    const summary = latency.summary()
    if (process.env.COMPARE_VERBOSE) {
      console.log(
        `  ${server.kind} ${typing} typists: sent ${sent}, p50 ${summary.p50} p99 ${summary.p99} n ${summary.count}, cpu ${((cpu / (secondsPerStep * 1e6 + 400_000)) * 100).toFixed(0)}%, probe ${(performance.now() - probeAsked).toFixed(0)} ms`,
      )
    }
    results.push({
      typists: typing,
      offeredPerSecond: typing * editsPerSecond,
      sent,
      latencyMs: summary,
      updateFrames: counters.updateFrames,
      awarenessFrames: counters.awarenessFrames,
      cpuPercent: (cpu / (secondsPerStep * 1e6 + 400_000)) * 100,
      loadCpuPercent: ((loadCpu.user + loadCpu.system) / (secondsPerStep * 1e6)) * 100,
      cpuMicrosPerFrame: cpu / (counters.updateFrames + counters.awarenessFrames),
      cpuMicrosPerUpdate: cpu / sent,
      loopDelayMs: probe.loop,
      rssMb: probe.memory.rss / 2 ** 20,
    })
  }
  const burst = await pasteBurst(server, participants, log, trackers)
  // Every participant pasted: every lane is checked.
  const drainMs = await converge(server, name, observers, participants)
  await Promise.all(
    [...participants.map((p) => p.client), ...observers.map((o) => o.client)].map((c) => c.close()),
  )
  // The highest step whose p99 stayed under 100 ms: the sustainable rate into the room.
  const sustainable = results.filter((r) => r.latencyMs.p99 < 100).map((r) => r.offeredPerSecond)
  return {
    clients,
    steps: results,
    burst,
    drainMs,
    sustainablePerSecond: sustainable.length ? Math.max(...sustainable) : 0,
  }
}
