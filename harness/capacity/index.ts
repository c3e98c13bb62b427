/** The capacity module: `telcobench capacity` (search per configuration, bottleneck, USL fit, planner's answers). docs/capacity.md. */
export { runCapacity, type CapacityOptions, type CapacityOutcome } from './run-capacity.ts'
export { parseSlo, type LatencySlo } from './slo.ts'
export { parseVary, configurations } from './grid.ts'
export { fitUsl, heldOutCheck, uslCapacity } from './usl.ts'
export { paceScenario, type PacedScenario } from './rate.ts'
