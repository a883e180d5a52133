/**
 * Crash suite: 50 pen holders (stock y-websocket clients) on 20 documents replay a real editing
 * trace (../shared/traces, automerge-paper) in small human-like steps against the server as a real
 * process on SQLite, and the server is killed with SIGKILL at seeded random moments: one kill with a
 * compaction's transaction open, one with a revision publish in flight, the rest anywhere.
 *
 * After each kill, before the server comes back, the SQLite file is checked (`integrity_check`)
 * and read as the restarted server will read it, and compared with what every client had received:
 *  - no update lost: for every client, the stored state vector covers every other writer's clock
 *    in the client's document;
 *  - no word lost: each client's view of every other writer's lane, merged into the stored text,
 *    changes nothing (so every word and every deletion it had seen is stored).
 * Then the server restarts (spawn to /healthz ok is the restart time), the clients reconnect by
 * themselves and must converge (same state, same text, their own edits saved; the time is
 * recorded), and each writer's lane must hold exactly what it typed.
 *
 *   PLENARY_CRASH_CYCLES   kills (default 20; the soak runs 200)
 *   PLENARY_CRASH_SEED     seed of the kill moments and typing rhythm
 *   PLENARY_CRASH_REPORT   a file to write the measured figures to (JSON)
 *
 * Each writer owns a lane (a few paragraphs of its document, holding the trace's text from some
 * point of its history) and only ever edits there, so what it deletes is its own.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { YDOC_FIELD } from '@plenary/shared'
import { seededRandom } from '@plenary/shared/seededRandom'
import Database from 'better-sqlite3'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Lane, loadTrace, offsetLimit, type Trace, textsAt } from '../bench/compare/trace.ts'
import { loadYDoc } from '../src/storage/loadDoc.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'
import { PAUSED_MARKER } from './crashHook.ts'
import { api, connectClient, type TestClient, tempDir, waitFor } from './helpers.ts'
import { freePort, type ServerProcess, spawnServer } from './process.ts'

const CYCLES = Number(process.env.PLENARY_CRASH_CYCLES ?? 20)
const SEED = Number(process.env.PLENARY_CRASH_SEED ?? 0xc4a54)
const REPORT = process.env.PLENARY_CRASH_REPORT
const CLIENTS = 50
const DOCUMENTS = 20
/** Low, so that compactions run all the time (every few seconds on every document). */
const COMPACT_AFTER_UPDATES = 20
/** Generous: the target is 5 s, measured and reported. */
const CONVERGE_LIMIT_MS = 15_000
/** Generous: the target is 3 s, measured and reported. */
const RESTART_LIMIT_MS = 20_000

type Writer = {
  index: number
  participantId: string
  token: string
  documentIndex: number
  laneIndex: number
  client: TestClient
  lane: Lane
  random: () => number
  timer: NodeJS.Timeout | null
}

type CycleFigures = {
  cycle: number
  kind: KillKind
  typedMs: number
  restartMs: number
  /** Whether that restart ran the sources through tsx (to preload the pause hook), not the bundle. */
  fromSource: boolean
  /** The machine's one-minute load average at the restart (other work shares the two cores). */
  load: number
  convergeMs: number
  integrity: string
  wordsSeen: number
  wordsLost: number
  updatesLost: number
  publish?: string
}

type KillKind = 'random' | 'compaction' | 'publish'

const log = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The kill of each cycle: the second during a compaction, the third during a publish (and again every 50). */
function killKind(cycle: number): KillKind {
  if (cycle % 50 === 1) return 'compaction'
  if (cycle % 50 === 2) return 'publish'
  return 'random'
}

/** A lane's paragraphs, in document order, as text (one line each). */
function laneText(doc: Y.Doc, lane: number): string {
  const lines: string[] = []
  for (const node of doc.getXmlFragment(YDOC_FIELD).toArray()) {
    if (!(node instanceof Y.XmlElement)) continue
    const id = node.getAttribute('id')
    if (typeof id !== 'string' || !(id.startsWith(`l${lane}p`) || id.startsWith(`l${lane}x`))) continue
    const child = node.get(0)
    lines.push(child instanceof Y.XmlText ? child.toString() : '')
  }
  return lines.join('\n')
}

const words = (text: string) => text.split(/\s+/).filter(Boolean)

/** Words of `seen` missing from `stored`, counted with their repetitions. */
function missingWords(seen: string, stored: string): number {
  const counts = new Map<string, number>()
  for (const word of words(stored)) counts.set(word, (counts.get(word) ?? 0) + 1)
  let missing = 0
  for (const word of words(seen)) {
    const left = counts.get(word) ?? 0
    if (left > 0) counts.set(word, left - 1)
    else missing += 1
  }
  return missing
}

function lanesContent(lanes: string[]) {
  return {
    type: 'doc',
    content: lanes.flatMap((text, lane) =>
      text.split('\n').map((line, j) => ({
        type: 'paragraph',
        attrs: { id: `l${lane}p${j}` },
        ...(line.length > 0 ? { content: [{ type: 'text', text: line }] } : {}),
      })),
    ),
  }
}

const writers: Writer[] = []
let server: ServerProcess | null = null

afterAll(async () => {
  for (const writer of writers) {
    if (writer.timer) clearTimeout(writer.timer)
    writer.client.destroy()
  }
  server?.child.kill('SIGKILL')
})

describe('crash cycles', () => {
  it(`loses nothing anyone saw over ${CYCLES} kills -9 of a server with ${CLIENTS} writers on ${DOCUMENTS} documents`, async () => {
    // Every stock y-websocket provider listens for the process's exit.
    process.setMaxListeners(CLIENTS + 20)
    const random = seededRandom(SEED)
    const trace: Trace = loadTrace()
    const dataDir = tempDir('plenary-crash-')
    const sqlitePath = path.join(dataDir, 'plenary.sqlite')
    const port = await freePort()
    // The hook must patch the server's own modules: only a server that is to pause runs from
    // source with it; the others run the bundle, as `npm start` does.
    const preloadFor = (env: Record<string, string>) =>
      env.PLENARY_TEST_PAUSE_IN ? ['./test/crashHook.ts'] : []
    const envFor = (cycle: number): Record<string, string> => {
      const kind = cycle < CYCLES ? killKind(cycle) : 'random'
      return {
        PLENARY_COMPACT_AFTER_UPDATES: String(COMPACT_AFTER_UPDATES),
        PLENARY_MAX_CONNECTIONS_PER_PARTICIPANT: '100',
        ...(kind === 'compaction' ? { PLENARY_TEST_PAUSE_IN: 'compact' } : {}),
        ...(kind === 'publish' ? { PLENARY_TEST_PAUSE_IN: 'revision' } : {}),
      }
    }
    server = await spawnServer(dataDir, port, undefined, envFor(0), preloadFor(envFor(0)))
    const { adminToken } = server

    // Lanes: the trace's text as it stood at a random point of its first 1,500 characters.
    const limit = offsetLimit(trace, 1_500)
    const offsets = Array.from({ length: CLIENTS }, () => Math.floor(random() * limit))
    const texts = textsAt(trace, offsets)
    const participants: { id: string; token: string }[] = []
    for (let i = 0; i < CLIENTS; i++) {
      const created = await api(server.url, 'POST', '/api/participants', adminToken, {
        name: `Writer ${i}`,
        organisation: `Delegation ${i}`,
        organisationKind: 'state_party',
        role: 'facilitator',
      })
      expect(created.status).toBe(201)
      participants.push({ id: created.json.participant.id, token: created.json.token })
    }
    const documentIds: string[] = []
    for (let d = 0; d < DOCUMENTS; d++) {
      const members = participants.filter((_, i) => i % DOCUMENTS === d)
      const lanes = members.map((_, lane) => texts.get(offsets[d + lane * DOCUMENTS]) as string)
      const created = await api(server.url, 'POST', '/api/documents', adminToken, {
        title: `Crash draft ${d}`,
        penHolders: members.map((m) => m.id),
        content: lanesContent(lanes),
      })
      expect(created.status).toBe(201)
      documentIds.push(created.json.document.id)
    }

    for (let i = 0; i < CLIENTS; i++) {
      const documentIndex = i % DOCUMENTS
      const laneIndex = Math.floor(i / DOCUMENTS)
      const client = connectClient(server.url, documentIds[documentIndex], participants[i].token)
      const lane = new Lane(
        laneIndex,
        client.doc,
        YDOC_FIELD,
        trace,
        offsets[i],
        texts.get(offsets[i]) as string,
      )
      writers.push({
        index: i,
        participantId: participants[i].id,
        token: participants[i].token,
        documentIndex,
        laneIndex,
        client,
        lane,
        random: seededRandom(SEED + 1 + i),
        timer: null,
      })
    }
    await waitFor(
      () => writers.every((w) => w.client.provider.synced && w.lane.attach()),
      'writers synced',
      30_000,
    )
    for (const writer of writers) expect(laneText(writer.client.doc, writer.laneIndex)).toBe(writer.lane.text)

    // Human-like typing: one transaction of the trace every 60–300 ms, each writer in its own lane.
    let typing = false
    const type = (writer: Writer) => {
      writer.timer = setTimeout(
        () => {
          if (typing && writer.client.provider.wsconnected) writer.lane.step()
          type(writer)
        },
        60 + writer.random() * 240,
      )
    }
    for (const writer of writers) type(writer)

    const figures: CycleFigures[] = []
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const kind = killKind(cycle)
      const current: ServerProcess = server
      typing = true
      const typingStarted = Date.now()
      let publish: Promise<string> | null = null
      let publishedDocument = documentIds[0]
      if (kind === 'random') {
        await sleep(300 + random() * 1_500)
      } else {
        current.child.kill('SIGUSR2')
        if (kind === 'publish') {
          await sleep(300 + random() * 700)
          publishedDocument = documentIds[Math.floor(random() * DOCUMENTS)]
          publish = api(current.url, 'POST', `/api/documents/${publishedDocument}/revisions`, adminToken, {
            note: `published during crash cycle ${cycle}`,
          }).then(
            (response) => `answered ${response.status} before the kill`,
            () => 'in flight at the kill: no answer',
          )
        }
        await waitFor(
          () => current.output().includes(PAUSED_MARKER),
          `the server to pause inside ${kind === 'publish' ? 'a revision write' : 'a compaction'}`,
          30_000,
        )
      }
      current.child.kill('SIGKILL')
      await current.exited
      typing = false
      const typedMs = Date.now() - typingStarted

      // What every client had at the kill.
      const seen = writers.map((w) => Y.encodeStateAsUpdate(w.client.doc))

      // The file as the restarted server will find it.
      const db = new Database(sqlitePath)
      const integrity = String(db.pragma('integrity_check', { simple: true }))
      db.close()
      expect(integrity).toBe('ok')
      const store = new SqliteStore(sqlitePath)
      let wordsSeen = 0
      let wordsLost = 0
      let updatesLost = 0
      const problems: string[] = []
      for (let d = 0; d < DOCUMENTS; d++) {
        const stored = await loadYDoc(store, documentIds[d], log)
        const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored))
        for (const writer of writers.filter((w) => w.documentIndex === d)) {
          const view = new Y.Doc()
          Y.applyUpdate(view, seen[writer.index])
          for (const [clientId, clock] of Y.decodeStateVector(Y.encodeStateVector(view))) {
            if (clientId === writer.client.doc.clientID) continue
            if ((storedVector.get(clientId) ?? 0) < clock) {
              updatesLost += clock - (storedVector.get(clientId) ?? 0)
              problems.push(`document ${d}: writer ${writer.index} had client ${clientId} to ${clock}`)
            }
          }
          const merged = new Y.Doc()
          Y.applyUpdate(merged, Y.encodeStateAsUpdate(stored))
          Y.applyUpdate(merged, seen[writer.index])
          for (const other of writers.filter((w) => w.documentIndex === d && w !== writer)) {
            const seenText = laneText(view, other.laneIndex)
            const storedText = laneText(stored, other.laneIndex)
            const mergedText = laneText(merged, other.laneIndex)
            wordsSeen += words(seenText).length
            wordsLost += missingWords(mergedText, storedText)
            if (mergedText !== storedText) {
              problems.push(
                `document ${d}: writer ${writer.index} saw lane ${other.laneIndex} beyond the store`,
              )
            }
          }
          view.destroy()
          merged.destroy()
        }
        stored.destroy()
      }
      await store.close()
      expect(problems, `cycle ${cycle} (${kind})`).toEqual([])
      expect(updatesLost).toBe(0)
      expect(wordsLost).toBe(0)

      const restartStarted = Date.now()
      const nextEnv = envFor(cycle + 1)
      const fromSource = preloadFor(nextEnv).length > 0
      server = await spawnServer(dataDir, port, adminToken, nextEnv, preloadFor(nextEnv))
      const restartMs = Date.now() - restartStarted
      const load = Math.round(os.loadavg()[0] * 10) / 10
      const converged = () =>
        documentIds.every((_, d) => {
          const group = writers.filter((w) => w.documentIndex === d).map((w) => w.client)
          if (!group.every((c) => c.provider.synced && c.allSaved())) return false
          const vector = Buffer.from(Y.encodeStateVector(group[0].doc))
          const text = group[0].text()
          return group.every(
            (c) => vector.equals(Buffer.from(Y.encodeStateVector(c.doc))) && c.text() === text,
          )
        })
      const convergeStarted = Date.now()
      await waitFor(converged, `every client converged after restart ${cycle}`, CONVERGE_LIMIT_MS)
      const convergeMs = Date.now() - convergeStarted
      // Each writer's lane holds exactly what it typed, its unacknowledged edits included.
      for (const writer of writers)
        expect(laneText(writer.client.doc, writer.laneIndex)).toBe(writer.lane.text)
      expect(restartMs).toBeLessThan(RESTART_LIMIT_MS)

      const entry: CycleFigures = {
        cycle,
        kind,
        typedMs,
        restartMs,
        fromSource,
        load,
        convergeMs,
        integrity,
        wordsSeen,
        wordsLost,
        updatesLost,
      }
      if (publish) {
        const answer = await publish
        // Killed inside its transaction: the revision is not there at all (nothing half-written),
        // and publishing works again, with the live text.
        const list = await api(server.url, 'GET', `/api/documents/${publishedDocument}/revisions`, adminToken)
        expect(list.status).toBe(200)
        const kept = list.json.revisions.filter((r: { note: string }) => r.note.includes(`cycle ${cycle}`))
        expect(kept).toEqual([])
        const again = await api(
          server.url,
          'POST',
          `/api/documents/${publishedDocument}/revisions`,
          adminToken,
          {
            note: `after crash cycle ${cycle}`,
          },
        )
        expect(again.status).toBe(201)
        entry.publish = `${answer}; after the restart the revision was absent and a new publish answered ${again.status}`
      }
      figures.push(entry)
    }

    const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
    const built = figures.filter((f) => !f.fromSource)
    const summary = {
      seed: SEED,
      cycles: figures.length,
      clients: CLIENTS,
      documents: DOCUMENTS,
      compactAfterUpdates: COMPACT_AFTER_UPDATES,
      kills: {
        random: figures.filter((f) => f.kind === 'random').length,
        compaction: figures.filter((f) => f.kind === 'compaction').length,
        publish: figures.filter((f) => f.kind === 'publish').length,
      },
      wordsSeen: figures.reduce((sum, f) => sum + f.wordsSeen, 0),
      wordsLost: figures.reduce((sum, f) => sum + f.wordsLost, 0),
      updatesLost: figures.reduce((sum, f) => sum + f.updatesLost, 0),
      integrityOk: figures.every((f) => f.integrity === 'ok'),
      // Restarts of the built server, as deployed (those run from source to preload the pause hook
      // are left out).
      restartMs: {
        median: sorted(built.map((f) => f.restartMs))[built.length >> 1],
        max: Math.max(...built.map((f) => f.restartMs)),
      },
      convergeMs: {
        median: sorted(figures.map((f) => f.convergeMs))[figures.length >> 1],
        max: Math.max(...figures.map((f) => f.convergeMs)),
      },
      cyclesFigures: figures,
    }
    console.log(
      `crash cycles: ${summary.cycles} kills (${summary.kills.compaction} in a compaction, ${summary.kills.publish} in a publish), ` +
        `${summary.wordsSeen} words seen, ${summary.wordsLost} lost, ${summary.updatesLost} updates lost, integrity ${summary.integrityOk ? 'ok' : 'FAILED'}, ` +
        `restart median ${summary.restartMs.median} ms max ${summary.restartMs.max} ms, converge median ${summary.convergeMs.median} ms max ${summary.convergeMs.max} ms`,
    )
    if (REPORT) fs.writeFileSync(REPORT, `${JSON.stringify(summary, null, 2)}\n`)
  }, 3_600_000)
})
