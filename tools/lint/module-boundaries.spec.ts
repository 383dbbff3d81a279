import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The tag rules of eslint.config.mjs, checked by linting code as if it sat in each lib. ESLint
// runs as its own process: its ESM config cannot load inside Jest's CommonJS runtime.
const root = path.resolve(__dirname, '../..');
const eslintBin = path.join(root, 'node_modules/.bin/eslint');

type LintResult = { messages: { ruleId: string | null; message: string }[] };

function boundaryErrors(file: string, imported: string, from: string): string[] {
  const code = `import { ${imported} } from '${from}';\nexport const used = [${imported}];\n`;
  const run = spawnSync(eslintBin, ['--stdin', '--stdin-filename', file, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const [result] = JSON.parse(run.stdout) as LintResult[];
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['a contract lib', 'libs/contracts/model/src/lib/x.ts', 'Injectable', '@nestjs/common'],
    ['a contract lib', 'libs/contracts/model/src/lib/x.ts', 'fastify', 'fastify'],
    ['a contract lib', 'libs/contracts/model/src/lib/x.ts', 'loadConfig', '@ml-run/config'],
    [
      'a platform lib',
      'libs/shared/config/src/lib/x.ts',
      'createModelWrapperApp',
      '@ml-run/model-wrapper',
    ],
    ['the e2e app', 'apps/e2e/src/x.ts', 'createServiceApp', '@ml-run/server'],
    ['a feature lib', 'libs/builder/registry/src/lib/x.ts', 'createBuilderApp', '@ml-run/builder'],
    // Only client libs (kind:client) and ports are open to adapters, not any adapter.
    ['an adapter', 'libs/adapters/registry-store/src/lib/x.ts', 'DockerImages', '@ml-run/docker'],
  ])('refuses %s (%s) importing %s from %s', (_what, file, imported, from) => {
    expect(boundaryErrors(file, imported, from)).not.toEqual([]);
  });

  it.each([
    ['libs/services/model-wrapper/src/lib/x.ts', 'ContractError', '@ml-run/model-contract'],
    ['libs/services/model-wrapper/src/lib/x.ts', 'runService', '@ml-run/server'],
    ['apps/model-wrapper/src/x.ts', 'createModelWrapperApp', '@ml-run/model-wrapper'],
    ['libs/services/builder/src/lib/x.ts', 'REGISTRY_PROVIDERS', '@ml-run/builder-registry'],
    ['libs/builder/deployments/src/lib/x.ts', 'ModelAccess', '@ml-run/builder-registry'],
    ['libs/adapters/registry-store/src/lib/x.ts', 'compareAndSet', '@ml-run/ignite'],
  ])('allows %s to import %s from %s', (file, imported, from) => {
    expect(boundaryErrors(file, imported, from)).toEqual([]);
  });
});
