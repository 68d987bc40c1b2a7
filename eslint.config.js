import eslint from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'data',
      '.cache',
      'bench-results',
      'static/vendor',
      'static/js',
      'tools',
    ],
  },
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
  // Layers, top to bottom: app.ts (composition root) → routes/ → http/ → services (report,
  // officer, staff, plan, reports, audit, mail, jobs) → store/, lib/, domain/ → crypto/.
  // An import may only point down; madge (npm run lint) refuses cycles between files.
  {
    // Services never see HTTP: no route, no middleware, no Hono context helpers.
    files: [
      'src/{report,officer,staff,plan,reports,audit,mail,jobs}/**/*.ts',
      'src/{config,deps,log,secrets,setup-link}.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/routes/*', '**/http/*'],
              message: 'Services sit below routes/ and http/.',
            },
            { group: ['**/app'], message: 'Only the server and tests import the app.' },
          ],
        },
      ],
    },
  },
  {
    // The reporter's side never reaches into the officer's: officer/ reads what report/ wrote.
    files: ['src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/routes/*', '**/http/*'],
              message: 'Services sit below routes/ and http/.',
            },
            { group: ['**/officer/*'], message: 'report/ sits below officer/.' },
          ],
        },
      ],
    },
  },
  {
    // Routes parse, call a service, render: createApp (src/app.ts) builds every service once.
    files: ['src/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.name=/^create(ReporterService|OfficerCases|OfficerSealed|OfficerDirectory|Certificates|Journal|StatisticsService|AnnualReportService|AuditViewer)$/]',
          message: 'Routes receive their services from createApp.',
        },
      ],
    },
  },
  {
    // mail/ is below jobs/: the scheduler drives the outbox, never the other way round.
    files: ['src/mail/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/routes/*', '**/http/*'],
              message: 'Services sit below routes/ and http/.',
            },
            { group: ['**/jobs/*'], message: 'mail/ sits below jobs/.' },
          ],
        },
      ],
    },
  },
  {
    // http/ holds middleware and helpers that routes share: it never imports a route.
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/routes/*'], message: 'http/ sits below routes/.' }] },
      ],
    },
  },
  {
    // store/ and lib/ sit under every service.
    files: ['src/{store,lib}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/routes/*',
                '**/http/*',
                '**/report/*',
                '**/officer/*',
                '**/staff/*',
                '**/plan/*',
                '**/reports/*',
                '../audit',
                '../../audit',
                '**/audit/*',
                '**/mail/*',
                '**/jobs/*',
              ],
              message: 'store/ and lib/ sit below the services.',
            },
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
