import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Packages a contract or util lib may not import: those libs load in plain Node
// (the CLI, model authors' tooling), without the server stack.
const serverOnlyPackages = [
  '@nestjs/*',
  'fastify',
  '@fastify/*',
  'kafkajs',
  'apache-ignite-client',
  'dockerode',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  prettier,
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:ui',
                'type:service',
                'type:feature',
                'type:platform',
                'type:adapter',
                'type:contract',
                'type:util',
              ],
            },
            {
              // type:feature: one job of a service (the builder's registry, image build,
              // deployments), composed by that service's module; a service never depends on
              // another service, so its parts are features, not services.
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: [
                'type:feature',
                'type:contract',
                'type:adapter',
                'type:platform',
                'type:util',
              ],
            },
            {
              // Features build on each other (image build and deployments on the registry),
              // never on a service; Nx's cycle check keeps the registry from importing them back.
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: [
                'type:feature',
                'type:contract',
                'type:adapter',
                'type:platform',
                'type:util',
              ],
            },
            {
              // kind:port: a lib that defines a port (and its memory adapter); other
              // adapters implement or consume that port, never another adapter's internals.
              // kind:client: a lib that wraps a server's client (@ml-run/ignite), so that
              // adapters storing in that server (registry-store) share its pool and framing.
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: [
                'type:contract',
                'type:platform',
                'type:util',
                'kind:port',
                'kind:client',
              ],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:platform', 'type:contract', 'type:util'],
            },
            {
              // The console's browser code: contracts and utils only, never a service, and
              // none of the server-only packages a contract may not import either.
              sourceTag: 'type:ui',
              onlyDependOnLibsWithTags: ['type:contract', 'type:util'],
              bannedExternalImports: serverOnlyPackages,
            },
            {
              sourceTag: 'type:contract',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: serverOnlyPackages,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: serverOnlyPackages,
            },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contract', 'type:util'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:model-wrapper',
              onlyDependOnLibsWithTags: ['scope:model-wrapper', 'scope:shared'],
            },
            {
              sourceTag: 'scope:auth-issuer',
              onlyDependOnLibsWithTags: ['scope:auth-issuer', 'scope:shared'],
            },
            {
              sourceTag: 'scope:token-validator',
              onlyDependOnLibsWithTags: ['scope:token-validator', 'scope:shared'],
            },
            {
              sourceTag: 'scope:router',
              onlyDependOnLibsWithTags: ['scope:router', 'scope:shared'],
            },
            {
              sourceTag: 'scope:builder',
              onlyDependOnLibsWithTags: ['scope:builder', 'scope:shared'],
            },
            {
              sourceTag: 'scope:console',
              onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'],
            },
            { sourceTag: 'scope:all', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: false },
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports only.' },
      ],
      'no-console': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // A component's JSX is markup, about one element per line once formatted; its logic
    // still goes to hooks and plain .ts files (with the 40-line budget).
    files: ['libs/console/**/*.tsx'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Ports are the one place an interface is the right tool (classes implement them).
    files: ['**/*.port.ts'],
    rules: { '@typescript-eslint/consistent-type-definitions': 'off' },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.security-spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/testing/**/*.ts',
    ],
    rules: { 'max-lines-per-function': 'off', 'max-lines': 'off' },
  },
  {
    files: ['apps/*/src/main.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
