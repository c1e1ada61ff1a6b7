// ESLint for kmp-web: typescript-eslint with type information where it finds real bugs
// (floating and misused promises, unsafe any), Lit and web-component rules for the templates,
// and lit-a11y for the accessibility faults a screen-reader user meets. Formatting is
// Prettier's job (npm run format), so no stylistic rule here fights it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  // src/ui/i18n/locales/ is written by lit-localize (npm run i18n), not by hand.
  { ignores: ['dist/', 'coverage/', 'reports/', 'node_modules/', 'public/', '.stryker-tmp/', 'src/ui/i18n/locales/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The bugs this linter is here for: a promise nobody awaits loses its error, and an async
      // function handed to something that expects void (an event listener) loses it too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `_unused` is how an intentionally unused parameter is named; tsc checks the rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Template literals with numbers are how every message in this app is written; the
      // default forbids them. Objects and unknowns in templates stay forbidden ("[object Object]").
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Errors thrown are always our own Error subclasses; rejecting with a non-Error is the
      // bug to catch, not the `Promise.reject` in a test double.
      // A caught `unknown` passed on as a rejection is still the original error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An async method that does not await is how a Promise-returning interface is honoured
      // (SerialPort.open, test doubles), and it turns a synchronous throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/ui/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/ui/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    files: ['src/ui/**/*.ts'],
    ...litA11y.configs.recommended,
  },
  {
    files: ['src/ui/**/*.ts'],
    rules: {
      // Lit calls an event listener bound in a template (`@click=${this.save}`) with `this`
      // set to the element, so passing a method unbound there is correct.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests and scripts: test doubles and JSON fixtures are typed loosely on purpose; unsafe
    // `any` there costs nothing and hides nothing the type checker would find in src/.
    files: ['test/**/*.ts', 'scripts/**/*.ts', '*.config.ts', '*.config.js'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests patch browser prototypes (IDBObjectStore.prototype.add) and call the original
      // with .apply; an unbound method is exactly what that takes.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
