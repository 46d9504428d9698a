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
    // The follower function (src/topologies/vpc-mirror/follower) runs in Lambda and calls AWS itself.
    files: ['src/resources/**', 'src/state/**', 'src/aws/**', 'src/core/**', 'src/init/discovery.ts', 'src/topologies/vpc-mirror/follower/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly' } } },
  { files: ['scripts/**'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
