import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import security from 'eslint-plugin-security';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which project may import which, by tag. It checks the TypeScript of apps and libs, and the
 * tools' own modules (.mjs, .cjs), which may use each other and the contracts only.
 */
const moduleBoundaries = [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
      { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
      {
        sourceTag: 'type:contracts',
        bannedExternalImports: [
          '@nestjs/*',
          'mongoose',
          'mongodb',
          'react',
          'react-dom',
          'socket.io',
          'socket.io-client',
        ],
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/.cache/**',
      '**/.data/**',
      '**/coverage/**',
      'docs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  security.configs.recommended,
  {
    plugins: { '@nx': nx },
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Object-injection reports fire on every indexed access to a typed record; the real
      // risk (user-controlled keys) is covered by validation at the edges.
      'security/detect-object-injection': 'off',
    },
  },
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The SPA takes contracts from the runtime-free entry: the barrel carries the DTO classes
    // and with them the server's validation runtime.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx', 'apps/web-e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@natter/contracts',
              message: "Import '@natter/contracts/client' (types, limits, codes, routes).",
            },
          ],
          patterns: [
            {
              group: ['class-validator', 'class-transformer', 'reflect-metadata'],
              message: 'Server-side validation runtime; not for the web app.',
            },
          ],
        },
      ],
    },
  },
  {
    // The modules behind '@natter/contracts/client' may reach the class modules for types only.
    files: [
      'libs/contracts/src/client.ts',
      'libs/contracts/src/routes.ts',
      'libs/contracts/src/events.ts',
      'libs/contracts/src/limits.ts',
      'libs/contracts/src/error-codes.ts',
      'libs/contracts/src/login.ts',
      'libs/contracts/src/emoji.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                './auth',
                './social',
                './messages',
                './message-actions',
                './two-factor',
                './*.responses',
                './api-error',
                './schema-decorators',
                'class-validator',
                'class-validator-jsonschema',
                'class-transformer',
                'reflect-metadata',
              ],
              allowTypeImports: true,
              message: 'The client entry must stay free of the validation runtime: import type.',
            },
          ],
        },
      ],
    },
  },
  {
    plugins: { '@nx': nx },
    files: ['tools/**/*.mjs', 'tools/**/*.cjs'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      'security/detect-object-injection': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**/*.ts', 'apps/web-e2e/**/*.ts', 'tools/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'security/detect-non-literal-fs-filename': 'off',
      'security/detect-child-process': 'off',
    },
  },
  prettier,
);
