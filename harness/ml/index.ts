/** The learned detectors' entry point for the CLI: train models on a scenario, read a model folder (docs/ml.md). */
export { trainModels, type TrainOptions, type TrainOutcome } from './train.ts'
export { readModelFolder, checkTrainEvalSplit, type ModelFolder, type ModelManifest } from './model-folder.ts'
