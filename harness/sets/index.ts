/** Sets of repeated runs (`telcobench run --repeat N`): the runs in one folder, set.json with statistics over them. */
export { runSet, maxRepeat, type SetOptions, type SetOutcome } from './run-set.ts'
export { summarizeSet, ciTargetLevel, countedStates, runFigures, worstExitCode, exitCodeSeverity, type RunFigures, type SetRunInput } from './summary.ts'
