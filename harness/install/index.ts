import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TelcobenchError } from '../errors.ts'

const packageName = 'telcobench'

/**
 * The folder holding telcobench's package.json, found by walking up from `fromDir`: the sources (harness/install/)
 * and the build (dist/harness/install/) sit at different depths under it, in a checkout as in an npm install.
 */
export function findPackageRoot(fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === packageName) return dir
    if (dirname(dir) === dir) throw new TelcobenchError('TB_INTERNAL', `no package.json of ${packageName} above ${fromDir}`, { fix: 'reinstall telcobench' })
  }
}

/** Where telcobench is: its repository checkout or installed package. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

/** telcobench's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
}
