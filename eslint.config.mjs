// Lint: typescript-eslint's recommended rules over .ts and .tsx; `any` is an error in the security
// capabilities and in the browser console (src/), which the UI type-check (tsconfig.ui.json) also covers.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.blocklet/**', 'data/**', 'coverage/**', 'docs/**'] },
  { files: ['**/*.{ts,tsx,mts,cts}'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['api/vault/**', 'api/identity/**', 'api/access/**', 'api/limits/**', 'src/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['*.js', '*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
