import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly' } } },
);
