import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.dist-check/**',
      'node_modules/**',
      'clair-canary-run/**',
      '**/.tmp/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  // Type-aware: the rules that need the type checker (floating promises, unsafe any, base-to-string).
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's test() and describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      'no-console': 'off',
    },
  },
  // Outside src/ an async method with nothing to await still implements a Promise-returning interface (the
  // tests' fakes, the stand-ins): 31 such methods, each right as it is.
  {
    files: ['test/**', 'standin/**', 'demo/**', 'bench/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  // Plain JavaScript (this file) is outside the TypeScript project.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
)
