import { z } from 'zod'
import { scenarioSchema } from './schema.ts'

/** The JSON Schema (draft 2020-12) of a scenario file, generated from the zod schema (input side). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input' })
}

/** The committed text of scenarios/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`
}

let cached: Record<string, unknown> | undefined

type JsonObject = Record<string, unknown>
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The keys a scenario's strict object allows at a path (union branches merged), for "did you mean" hints. */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  cached ??= scenarioJsonSchema()
  return allowedKeysIn(cached, path)
}

/** The keys a strict object of any JSON Schema allows at a path (union branches merged). */
export function allowedKeysIn(schema: Record<string, unknown>, path: readonly PropertyKey[]): string[] {
  let nodes: JsonObject[] = [schema]
  for (const seg of path) {
    const next: JsonObject[] = []
    for (const node of nodes.flatMap(expandUnions)) {
      const props = node.properties
      if (isObject(props) && typeof seg === 'string' && isObject(props[seg])) next.push(props[seg])
      else if (isObject(node.additionalProperties)) next.push(node.additionalProperties)
      else if (isObject(node.items) && typeof seg === 'number') next.push(node.items)
    }
    nodes = next
  }
  const keys = new Set<string>()
  for (const node of nodes.flatMap(expandUnions)) {
    if (isObject(node.properties)) for (const k of Object.keys(node.properties)) keys.add(k)
  }
  return [...keys]
}

function expandUnions(node: JsonObject): JsonObject[] {
  const branches = [node.anyOf, node.oneOf, node.allOf].flatMap((b) => (Array.isArray(b) ? b.filter(isObject) : []))
  return branches.length === 0 ? [node] : [node, ...branches.flatMap(expandUnions)]
}
