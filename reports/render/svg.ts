import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * Compiles a vega-lite spec and renders it to SVG with vega's headless renderer (no browser, no canvas).
 * `idPrefix` makes the SVG's internal ids (clip paths, gradients) unique, so several charts can be inlined
 * into one page without one chart's `url(#clip1)` picking up another's.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error })
  try {
    return prefixIds(await view.toSVG(), idPrefix)
  } finally {
    view.finalize()
  }
}

export function prefixIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]))
  if (ids.size === 0) return svg
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : whole))
    .replace(/href="#([^"]+)"/g, (whole, id: string) => (ids.has(id) ? `href="#${prefix}-${id}"` : whole))
}
