import { Resvg } from '@resvg/resvg-js'

/** Rasterises an SVG to PNG with resvg (a prebuilt native binary from npm; no system libraries). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
  return resvg.render().asPng()
}
