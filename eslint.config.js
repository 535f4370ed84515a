// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The import direction of DESIGN.md: lib -> db -> core -> http | cli (and src/testing, `basalt/testing`, on top of http).
 * Each layer lists the layers (and packages) it must never import.
 */
const layerBans = [
  { layer: 'lib', banned: ['db', 'core', 'http', 'cli', 'testing'] },
  { layer: 'db', banned: ['core', 'http', 'cli', 'testing'] },
  { layer: 'core', banned: ['http', 'cli', 'testing'] },
  { layer: 'http', banned: ['cli', 'testing'] },
  { layer: 'testing', banned: ['cli'] },
];
const httpPackages = ['fastify', '@fastify/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'admin/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // Fastify handlers and plugins are async by contract, with or without an await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...layerBans.map(({ layer, banned }) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: banned.flatMap((b) => [`**/${b}/**`, `**/${b}`]),
              message: `Imports flow lib -> db -> core -> http | cli | testing: src/${layer} must not import ${banned.join(', ')}.`,
            },
            ...(layer === 'http'
              ? []
              : [
                  {
                    group: httpPackages,
                    message: 'Only src/http (and src/cli) may import Fastify.',
                  },
                ]),
          ],
        },
      ],
    },
  })),
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
