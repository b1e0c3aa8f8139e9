// Lint rules for smcp: type-aware typescript-eslint; only src/cli/ may print; and the layer table
// of the architecture page, enforced: each folder of src/ imports only the folders below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What each folder of src/ may import besides itself, errors.ts and logger.ts (ARCHITECTURE.md). */
const LAYERS = {
  cli: null, // everything
  bridge: [], // `smcp stdio` relaying to the daemon: node:http only, so it starts fast
  daemon: ['admin', 'transports', 'mcp', 'snowflake', 'emulator', 'config', 'state'],
  admin: ['mcp', 'config'],
  transports: ['mcp', 'config'],
  mcp: ['snowflake', 'config'],
  snowflake: ['config'],
  emulator: [],
  config: [],
  state: ['config'],
};

/** The drivers, each owned by one folder: nothing else imports them. */
const DRIVERS = { 'snowflake-sdk': 'snowflake', '@duckdb/node-api': 'emulator' };

/** One config block per layer: a relative import of a folder it may not use is an error. */
function layerRules() {
  return Object.entries(LAYERS).map(([layer, allowed]) => {
    const forbidden =
      allowed === null
        ? []
        : Object.keys(LAYERS).filter((other) => other !== layer && !allowed.includes(other));
    return {
      files: [`src/${layer}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: Object.entries(DRIVERS)
              .filter(([, owner]) => owner !== layer)
              .map(([name, owner]) => ({ name, message: `only src/${owner}/ imports ${name}.` })),
            patterns: forbidden.map((other) => ({
              group: [`**/${other}/*`, `**/${other}/**`],
              message: `src/${layer}/ may not import src/${other}/ (see the layer table in ARCHITECTURE.md).`,
            })),
          },
        ],
      },
    };
  });
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-check/',
      'node_modules/',
      'bench/results/',
      'bench/.peers/',
      'coverage/',
      'test/.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'bench/*.js', 'bench/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**', 'bin/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    // The status page's script runs in the browser, served as it is (no build step).
    files: ['static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
  {
    // CommonJS loaded by another program's require (the driver suite's mocha reporter).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerRules(),
);
