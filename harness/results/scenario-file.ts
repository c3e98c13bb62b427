import { createHash } from 'node:crypto'

/**
 * scenario.resolved.json: the scenario with every default and `--set` value applied, and the SHA-256 of exactly
 * those bytes, which manifest.json records as `scenario_sha256`. Two runs with equal hashes ran the same scenario
 * content, whatever its file was called; `sha256sum scenario.resolved.json` checks it by hand.
 */
export function resolvedScenarioFile(resolved: unknown): { text: string; sha256: string } {
  const text = `${JSON.stringify(resolved, null, 2)}\n`
  return { text, sha256: createHash('sha256').update(text).digest('hex') }
}
