/** The topic-level config entries both adapters send with CreateTopics. */
export function topicConfigs(minInsyncReplicas: number | undefined, configs: Readonly<Record<string, string>>): { name: string; value: string }[] {
  const entries = Object.entries(configs).map(([name, value]) => ({ name, value }))
  return minInsyncReplicas === undefined ? entries : [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }, ...entries]
}
