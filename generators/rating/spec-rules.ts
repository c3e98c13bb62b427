import type { RatingSpec } from './spec-schema.ts'

/** A consistency problem in a rating spec, located by a path relative to the spec. */
export interface RatingSpecProblem {
  path: (string | number)[]
  message: string
  hint?: string
}

/**
 * The contract's cross-field rules: every named class has a tariff, every band has a rate in every tariff,
 * bands cover hours 0–24 with no gap or overlap.
 */
export function checkRatingSpec(spec: RatingSpec): RatingSpecProblem[] {
  const problems: RatingSpecProblem[] = []
  const tariffNames = Object.keys(spec.tariffs)
  const needTariff = (cls: string, path: (string | number)[]): void => {
    if (!(cls in spec.tariffs)) {
      problems.push({ path, message: `destination class "${cls}" has no tariff`, hint: `add tariffs.${cls} or use one of: ${tariffNames.join(', ')}` })
    }
  }
  spec.destinations.forEach((d, i) => { needTariff(d.class, ['destinations', i, 'class']) })
  needTariff(spec.defaultDestinationClass, ['defaultDestinationClass'])
  needTariff(spec.dataClass, ['dataClass'])

  const covered = new Array<number>(24).fill(0)
  spec.timeBands.forEach((band, i) => {
    if (band.toHour <= band.fromHour) {
      problems.push({ path: ['timeBands', i], message: `band "${band.name}" ends (${band.toHour}) before it starts (${band.fromHour})` })
    }
    for (let h = band.fromHour; h < band.toHour; h++) covered[h] = (covered[h] ?? 0) + 1
  })
  const gaps = covered.flatMap((n, h) => (n === 0 ? [h] : []))
  const overlaps = covered.flatMap((n, h) => (n > 1 ? [h] : []))
  if (gaps.length > 0) problems.push({ path: ['timeBands'], message: `hours ${gaps.join(', ')} are in no time band`, hint: 'bands must cover 0–24 with no gap' })
  if (overlaps.length > 0) problems.push({ path: ['timeBands'], message: `hours ${overlaps.join(', ')} are in more than one time band` })

  const bandNames = [...new Set(spec.timeBands.map((b) => b.name))]
  for (const [cls, tariff] of Object.entries(spec.tariffs)) {
    for (const band of bandNames) {
      if (!(band in tariff.voice.ratePerMinuteSubunits)) {
        problems.push({ path: ['tariffs', cls, 'voice', 'ratePerMinuteSubunits'], message: `no voice rate for band "${band}"` })
      }
      if (!(band in tariff.data.ratePerMegabyteSubunits)) {
        problems.push({ path: ['tariffs', cls, 'data', 'ratePerMegabyteSubunits'], message: `no data rate for band "${band}"` })
      }
    }
  }
  return problems
}
