/** Counters and a latency histogram, rendered in Prometheus text format at /metrics. */
const PERSIST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

export class Metrics {
  connections = 0
  rooms = 0
  updatesTotal = 0
  commitsTotal = 0
  rejectedWritesTotal = 0
  closedSocketsTotal = new Map<number, number>()
  persistFailuresTotal = 0
  compactionsTotal = 0
  checkpointsTotal = 0
  /** The fan-out between instances: 'off' (one instance), 'up' or 'down' (Redis unreachable). */
  fanoutState: () => 'off' | 'up' | 'down' = () => 'off'
  fanoutPublishedTotal = 0
  fanoutReceivedTotal = 0
  fanoutDroppedTotal = 0
  fanoutMalformedTotal = 0
  /** Gaps in the sequence of updates heard from other instances. */
  fanoutGapsTotal = 0
  /** Catch-ups of a room from the database (after a gap, or Redis coming back). */
  catchUpsTotal = 0
  private persistCounts = PERSIST_BUCKETS.map(() => 0)
  private persistSum = 0
  private persistCount = 0

  observePersist(seconds: number): void {
    this.persistSum += seconds
    this.persistCount += 1
    PERSIST_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.persistCounts[i] += 1
    })
  }

  countClose(code: number): void {
    this.closedSocketsTotal.set(code, (this.closedSocketsTotal.get(code) ?? 0) + 1)
  }

  render(): string {
    const lines = [
      '# HELP plenary_connections Open websocket connections.',
      '# TYPE plenary_connections gauge',
      `plenary_connections ${this.connections}`,
      '# HELP plenary_rooms Documents loaded in memory.',
      '# TYPE plenary_rooms gauge',
      `plenary_rooms ${this.rooms}`,
      '# HELP plenary_updates_total Document updates stored.',
      '# TYPE plenary_updates_total counter',
      `plenary_updates_total ${this.updatesTotal}`,
      '# HELP plenary_commits_total Group commits (transactions) of updates.',
      '# TYPE plenary_commits_total counter',
      `plenary_commits_total ${this.commitsTotal}`,
      '# HELP plenary_rejected_writes_total Writes refused for lack of the pen.',
      '# TYPE plenary_rejected_writes_total counter',
      `plenary_rejected_writes_total ${this.rejectedWritesTotal}`,
      '# HELP plenary_persist_failures_total Commits that failed.',
      '# TYPE plenary_persist_failures_total counter',
      `plenary_persist_failures_total ${this.persistFailuresTotal}`,
      '# HELP plenary_compactions_total Logs folded into a snapshot by this instance.',
      '# TYPE plenary_compactions_total counter',
      `plenary_compactions_total ${this.compactionsTotal}`,
      '# HELP plenary_checkpoints_total Automatic checkpoints taken by this instance.',
      '# TYPE plenary_checkpoints_total counter',
      `plenary_checkpoints_total ${this.checkpointsTotal}`,
      '# HELP plenary_socket_closes_total Sockets closed by the server, by close code.',
      '# TYPE plenary_socket_closes_total counter',
      ...[...this.closedSocketsTotal].map(([code, n]) => `plenary_socket_closes_total{code="${code}"} ${n}`),
      ...this.renderFanout(),
      '# HELP process_resident_memory_bytes Resident memory of this process.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${process.memoryUsage().heapUsed}`,
      '# HELP plenary_persist_seconds Time to commit a group of updates.',
      '# TYPE plenary_persist_seconds histogram',
      ...PERSIST_BUCKETS.map(
        (bound, i) => `plenary_persist_seconds_bucket{le="${bound}"} ${this.persistCounts[i]}`,
      ),
      `plenary_persist_seconds_bucket{le="+Inf"} ${this.persistCount}`,
      `plenary_persist_seconds_sum ${this.persistSum}`,
      `plenary_persist_seconds_count ${this.persistCount}`,
    ]
    return `${lines.join('\n')}\n`
  }

  private renderFanout(): string[] {
    const state = this.fanoutState()
    if (state === 'off') return []
    const counter = (name: string, help: string, value: number) => [
      `# HELP plenary_fanout_${name} ${help}`,
      `# TYPE plenary_fanout_${name} counter`,
      `plenary_fanout_${name} ${value}`,
    ]
    return [
      '# HELP plenary_fanout_up 1 when Redis (the fan-out between instances) is reachable, else 0.',
      '# TYPE plenary_fanout_up gauge',
      `plenary_fanout_up ${state === 'up' ? 1 : 0}`,
      ...counter('published_total', 'Messages published to the other instances.', this.fanoutPublishedTotal),
      ...counter('received_total', 'Messages received from the other instances.', this.fanoutReceivedTotal),
      ...counter(
        'dropped_total',
        'Messages not published because Redis was unreachable.',
        this.fanoutDroppedTotal,
      ),
      ...counter(
        'malformed_total',
        'Messages from Redis that could not be decoded.',
        this.fanoutMalformedTotal,
      ),
      ...counter('gaps_total', 'Gaps seen in the updates of other instances.', this.fanoutGapsTotal),
      ...counter('catchups_total', 'Rooms brought up to date from the database.', this.catchUpsTotal),
    ]
  }
}
