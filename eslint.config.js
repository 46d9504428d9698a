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
        { patterns: [{ group: ['@aws-sdk/client-*'], message: 'Only src/resources, src/state, src/aws and src/core/resolve talk to AWS.' }] },
      ],
    },
  },
  {
    files: ['src/resources/**', 'src/state/**', 'src/aws/**', 'src/core/**', 'src/init/discovery.ts', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly' } } },
);
