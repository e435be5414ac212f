import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.local/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    // A promise nobody awaits or handles ends the process when it rejects: every one is awaited, returned or handed
    // to a handler (`void` only where the promise handles its own rejection).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The test kits (the engine's in-memory ports, contract suites, decider spec, test aggregate; every `*.testing`
    // helper) are test code: they call jest's globals and are left out of the app builds, so runtime code never
    // imports them. `**/testing` also keeps `@nestjs/testing`, a dev dependency, out.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.testing.ts', '**/*.contract.ts', 'libs/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/engine/testing', '**/testing', '**/testing/**', '**/*.testing', '**/*.contract'],
              message: 'Test kits are for test code only (*.spec.ts, *.testing.ts, *.contract.ts, testing/, test/, bench/).',
            },
          ],
        },
      ],
    },
  },
  {
    // The web pages run in the browser (scripts/build-web.ts bundles them).
    files: ['apps/gateway/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
