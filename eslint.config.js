// Type-checked lint for the whole repository; `npm test` runs it with --max-warnings=0.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // weft's own .js sources (loader code that must run without tsx) are linted like the rest.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '!src/**/*.js', '**/*.mjs', '.weft/**', 'examples/**/out/**', 'examples/**/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'examples/**', 'src/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
