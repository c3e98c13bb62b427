import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { capacitySchema, capacitySchemaVersion } from './capacity-schema.ts'
import { assertVersion, checked, readJson, stringify } from './json-file.ts'
import type { CapacityFile } from './types.ts'

/** The files of a capacity folder (`telcobench capacity`) beside its run folders. */
export const capacityFiles = { capacity: 'capacity.json', markdown: 'capacity.md', html: 'capacity.html' } as const

/** Writes capacity.json, checked against its schema first. */
export function writeCapacityFile(dir: string, capacity: CapacityFile): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, capacityFiles.capacity), stringify(checked(capacitySchema, capacity, capacityFiles.capacity, 'writes')))
}

/** Reads a capacity folder's capacity.json: typed, validated, refused with a clear error when it is from another schema version. */
export function readCapacity(dir: string): CapacityFile {
  const file = join(dir, capacityFiles.capacity)
  const raw = readJson(file, 'pass a folder that `telcobench capacity` wrote (results/<scenario>-capacity-<time>-<id>/)')
  assertVersion(file, raw, capacitySchemaVersion)
  return checked(capacitySchema, raw, file, 'reads')
}
