import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'oclif.manifest.json', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/client-*'],
              allowTypeImports: true,
              message: 'Only src/resources, src/state, src/aws, src/account and the topologies\' look-up modules talk to AWS.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/resources/**',
      'src/state/**',
      'src/aws/**',
      'src/account/**',
      'src/topologies/**/sources/resolve.ts',
      'src/topologies/**/checks.ts',
      'src/topologies/**/receivers/debian-image.ts',
      'src/topologies/**/status.ts',
      'src/init/discovery.ts',
      'test/**',
      'bench/**',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The engine and the planners are pure: no AWS SDK, no use cases, no clients (docs/decisions/0004).
    files: ['src/topologies/**/planner.ts', 'src/topologies/**/receivers/**/plan.ts', 'src/topologies/common/node-layer.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'A planner never calls AWS: take what you need as input.' },
            { group: ['**/core/*', '**/aws/*'], message: 'A planner depends on no use case and no client: see docs/ARCHITECTURE.md.' },
          ],
        },
      ],
    },
  },
  {
    // The engine owns the handler contract and knows no AWS API, use case or handler.
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'The engine never names an AWS API: handlers do.' },
            { group: ['**/core/*', '**/aws/*', '**/resources/*', '**/topologies/*'], message: 'The engine depends on no use case, client, handler or topology: see docs/ARCHITECTURE.md.' },
          ],
        },
      ],
    },
  },
  {
    // Tests parse JSON answers and stub async interfaces: the type-aware rules about untyped values and
    // awaitless async functions would only add casts there. Floating promises are still errors.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Plain JavaScript (the entry points, this file) is not in the TypeScript project: no type-aware rules there.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly' } } },
);
