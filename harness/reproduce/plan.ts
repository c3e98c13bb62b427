import type { CapacitySettings, Capability, Experiment, SizeOverlay, Suite, SuiteSize } from './suite-schema.ts'

/** An experiment as one size runs it: the size's overlay applied, the scenario path resolved, its wall time known. */
export interface PlannedExperiment {
  question: string
  id: string
  title: string
  kind: 'run' | 'capacity'
  /** The scenario file as the suite names it, and the path it resolves to from the working directory. */
  scenarioFile: string
  scenarioPath: string
  scenarioName: string
  overrides: string[]
  engine?: Experiment['engine']
  guarantee?: Experiment['guarantee']
  batch: boolean
  /** Runs of a run experiment (1 for a capacity search, whose repeats are per point). */
  repeats: number
  capacity: CapacitySettings | null
  atCapacity: { experiment: string; fraction: number } | null
  requires: Capability[]
  figures: string[]
  /** Why this size leaves the experiment out, or null. */
  skip: string | null
  /** Wall seconds of load of one run (the scenario's duration ÷ timeCompression, or the search's load per run). */
  loadWallS: number
  /** Configurations of a capacity search (1 for a run). */
  configurations: number
}

/** The experiment with a size's overlay: `set` appended, `repeats` replaced, `capacity` merged key by key. */
export function overlaid(e: Experiment, size: SuiteSize): { set: string[]; repeats: number | undefined; capacity: CapacitySettings | undefined; skip: string | null } {
  const overlay: SizeOverlay = e[size] ?? {}
  const capacity = e.capacity === undefined && overlay.capacity === undefined ? undefined : { ...e.capacity, ...overlay.capacity }
  return { set: [...e.set, ...(overlay.set ?? [])], repeats: overlay.repeats ?? e.repeats, capacity, skip: overlay.skip ?? null }
}

/** Runs of a run experiment at a size: its own (size overlay first), else the size's, else the suite's. */
export function repeatsAt(suite: Suite, e: Experiment, size: SuiteSize): number {
  return overlaid(e, size).repeats ?? suite.sizes[size].repeats ?? suite.repeats
}

/** Every experiment of the suite in run order, with its question. */
export function experimentsOf(suite: Suite): { question: string; experiment: Experiment; path: (string | number)[] }[] {
  return suite.questions.flatMap((q, qi) => q.experiments.map((experiment, ei) => ({ question: q.id, experiment, path: ['questions', qi, 'experiments', ei] })))
}
