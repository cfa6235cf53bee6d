import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/syscalls/abi/numbers.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
      '@typescript-eslint/no-implied-eval': 'off',
      // Closures over the CPU object are how templates reach it; aliasing is deliberate.
      '@typescript-eslint/no-this-alias': 'off',
      'no-self-compare': 'off',
    },
  },
);
