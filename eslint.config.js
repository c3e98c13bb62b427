// @ts-check
import tseslint from 'typescript-eslint'

// Import direction (README "Layout"): generators import no harness, reports, cli or api; the results module
// (harness/results/) is a leaf; the compare module (harness/compare/) reads runs through harness/results only; the
// rest of harness imports no reports, cli or api; reports read runs through harness/results only (and render what
// harness/compare/index.ts returns); cli and api (the two top-level entries: the command and the programmatic API)
// call entry points only.
// The rule sees the import as written, so each pattern names the target folder after its `../`s.
const up = String.raw`^(\.\./)+`
const importRule = '@typescript-eslint/no-restricted-imports'

/** Entry points cli and api may import (repository paths). */
const entryPoints = [String.raw`harness/[^/]+/index\.ts`, String.raw`harness/errors\.ts`, String.raw`generators/index\.ts`, String.raw`generators/scenario/index\.ts`, String.raw`reports/index\.ts`]

/** The rule for a top-level entry (`cli`, `api`): entry points only, and not the other top-level entry. */
function entryImports(entry, other) {
  const allowed = entryPoints.join('|')
  return {
    [importRule]: ['error', {
      patterns: [
        { regex: `${up}(?!(${allowed})$)(harness|generators|reports)/`, message: `${entry} calls entry points only: harness/<module>/index.ts, harness/errors.ts, generators/index.ts, generators/scenario/index.ts, reports/index.ts. Export what ${entry} needs from one of them.` },
        { regex: `${up}${other}(/|$)`, message: `${entry} does not import ${other}: both are top-level entries over the same entry points.` },
      ],
    }],
  }
}

const importDirection = [
  {
    files: ['generators/**'],
    rules: { [importRule]: ['error', { patterns: [{ regex: `${up}(harness|reports|cli|api)(/|$)`, message: 'generators are pure: they import nothing from harness/, reports/, cli/ or api/ (those import generators, never the reverse).' }] }] },
  },
  {
    // Data flows harness -> reports: the CLI hands a finished run to reports/; the harness never calls them.
    files: ['harness/**'],
    rules: { [importRule]: ['error', { patterns: [{ regex: `${up}(reports|cli|api)(/|$)`, message: 'the harness imports neither reports/ nor cli/ nor api/: data flows harness -> reports, and the CLI calls both.' }] }] },
  },
  {
    // After harness/**, so that for these files this stricter list replaces it.
    files: ['harness/results/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}(harness/)?(run|score|measure|runtime|kafka|bench)(/|$)`, message: 'the results module is a leaf: nothing from harness/run, score, measure, runtime, kafka or bench (move the type it needs into harness/results/).' },
          { regex: `${up}(cli|api|reports)(/|$)`, message: 'the results module is a leaf: cli, api and reports import it, never the reverse.' },
          { regex: `${up}generators(/|$)`, allowTypeImports: true, message: 'the results module takes only types from generators (`import type`).' },
        ],
      }],
    },
  },
  {
    // After harness/**, like the results module. All the `../`s, then anything but results/, stats/ or errors.ts.
    files: ['harness/compare/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}(?!\\.\\./)(?!(harness/)?((results|stats)/|errors\\.ts$))`, message: 'the compare module reads runs through harness/results only: it imports harness/results, harness/stats and harness/errors.ts, nothing else of the harness, nor generators, reports or cli.' },
        ],
      }],
    },
  },
  {
    files: ['reports/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}harness/(?!(results/|compare/index\\.ts$|errors\\.ts$))`, message: 'reports read runs through harness/results/ only (render comparisons from harness/compare/index.ts, and throw harness/errors.ts errors).' },
          { regex: `${up}(cli|api)(/|$)`, message: 'reports import neither cli nor api.' },
          { regex: `${up}generators(/|$)`, allowTypeImports: true, message: 'reports take only types from generators (`import type`), never generator code.' },
        ],
      }],
    },
  },
  { files: ['cli/**'], rules: entryImports('cli', 'api') },
  { files: ['api/**'], rules: entryImports('api', 'cli') },
]

export default tseslint.config(
  // Plain JavaScript outside the TypeScript project, like bin/ and scripts/: the generator worker's tsx bootstrap.
  { ignores: ['node_modules/', 'results/', 'pipelines/', 'dist/', 'bin/', 'scripts/', 'eslint.config.js', '**/*.d.ts', 'harness/run/load-worker-tsx.mjs', 'harness/kafka/consumer-thread-tsx.mjs'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  ...importDirection,
)
