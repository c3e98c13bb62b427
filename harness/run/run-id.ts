/** `<scenario>-<UTC yyyymmdd-hhmmss>-<4 hex>`: sortable, unique, and safe in Kafka topic names. */
export function newRunId(scenarioName: string, now: Date = new Date(), random: () => number = Math.random): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')
  const safeName = scenarioName.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
  return `${safeName}-${stamp}-${suffix}`
}

/** The per-run topic prefix of docs/contracts.md. */
export function topicPrefix(runId: string): string {
  return `tb.${runId}.`
}
