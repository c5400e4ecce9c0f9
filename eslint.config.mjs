// @ts-check
import tseslint from 'typescript-eslint';
import layering from './eslint/layering.mjs';

// The layering (ARCHITECTURE.md §2–3) lives in ./eslint/layering.mjs: `layering/imports` resolves every
// import, re-export, `import x = require()`, `require()` and `import()` against the importing file and
// applies the numbered layering rules; `layering/pure-domain` keeps the clock and randomness out of
// the domain. test/unit/architecture/layering.test.ts proves each rule fires.

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { layering },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The rule reads each file's layer from its path, so it applies to every TypeScript file.
      'layering/imports': ['error', { rootDir: import.meta.dirname }],
    },
  },
  {
    // Layering rule 2: workflows must stay deterministic (imports are checked by layering/imports).
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Layering rule 2 (deterministic workflows): use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Layering rule 2 (deterministic workflows): use sleep() or a Schedule.' },
        { name: 'process', message: 'Layering rule 2 (deterministic workflows): no env or process in workflows; pass values in as workflow input.' },
      ],
    },
  },
  {
    // Layering rule 1: the domain is pure: no I/O, no clock, no randomness, no env.
    files: ['src/domain/**/*.ts'],
    rules: {
      'layering/pure-domain': 'error',
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Layering rule 1 (pure domain): no env or process in the domain; take values as inputs.' },
        { name: 'setTimeout', message: 'Layering rule 1 (pure domain): no timers in the domain.' },
        { name: 'setInterval', message: 'Layering rule 1 (pure domain): no timers in the domain.' },
      ],
    },
  },
);
