import eslint from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', '.cache', 'static/vendor', 'static/js', 'tools'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    // crypto/ runs in the browser and on the server: no node built-ins, no server code.
    files: ['crypto/**/*.ts'],
    ignores: ['crypto/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            '../src/*',
            'hono',
            'hono/*',
            'mongoose',
            'better-sqlite3',
            'nodemailer',
          ],
        },
      ],
    },
  },
  {
    // domain/ is pure: no I/O libraries.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'hono',
            'hono/*',
            'mongoose',
            'better-sqlite3',
            'nodemailer',
            'eta',
            '../store/*',
            '../http/*',
          ],
        },
      ],
    },
  },
  {
    files: ['src/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'hono', 'hono/*', 'mongoose', '../store/*'] },
      ],
    },
  },
  {
    files: ['src/server.ts', 'src/cli/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'crypto/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  }
)
