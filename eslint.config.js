// ESLint for the extension, the end-to-end tests and the build tools.
// no-unsanitized: page text must never reach an HTML sink.
import js from '@eslint/js';
import globals from 'globals';
import nounsanitized from 'eslint-plugin-no-unsanitized';

export default [
  { ignores: ['extension/pkg/**', 'dist/**', 'node_modules/**', 'target/**', 'tests/e2e/.build/**'] },
  js.configs.recommended,
  nounsanitized.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.webextensions, ...globals.serviceworker },
    },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'document', property: 'write', message: 'Build DOM with createElement/textContent.' },
        { property: 'innerHTML', message: 'Build DOM with createElement/textContent.' },
        { property: 'outerHTML', message: 'Build DOM with createElement/textContent.' },
        { property: 'insertAdjacentHTML', message: 'Build DOM with createElement/textContent.' },
      ],
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.{js,mjs}', 'tools/**/*.{js,mjs}', 'eslint.config.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Functions passed to page.evaluate / sw.evaluate run in the browser,
      // some in the extension's service worker (chrome.*).
      globals: { ...globals.node, ...globals.browser, chrome: 'readonly' },
    },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
];
