// @ts-check
import js from '@eslint/js';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'prisma/generated/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tillsync/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['renderer/src/**/*.{ts,vue}', 'renderer/admin/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
    rules: {
      // The renderer has no Node: it talks to the terminal only through the TerminalApi.
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { regex: '/prisma/', message: 'Databases belong to the terminal core.' },
            { regex: '/electron/core/(?!api/(contract|operations)$)', message: 'Only the TerminalApi contract is shared with the core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'sync-server/**/*.ts', 'prisma/**/*.ts', 'tests/**/*.ts', 'build/**/*.ts', 'renderer/vite.config.ts', 'renderer/vite.admin.config.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The terminal core stays plain Node so it runs under the web host and in tests.
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
);
