import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findPackageRoot, packageRoot, packageVersion } from './index.ts'

const checkout = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '')

describe('the package root', () => {
  it('is found from the sources and from the build, two levels deeper', () => {
    expect(packageRoot).toBe(checkout)
    expect(findPackageRoot(join(checkout, 'dist', 'harness', 'install'))).toBe(checkout)
  })
  it('is an internal error where there is none', () => {
    expect(() => findPackageRoot('/')).toThrow(/no package.json of telcobench above \//)
  })
  it('gives the version of package.json', () => {
    expect(packageVersion()).toBe((JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { version: string }).version)
  })
})
