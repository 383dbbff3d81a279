import 'reflect-metadata';

import { describeStartupError } from '@ml-run/server';

import { startEmbedded, type EmbeddedPlatform } from './start-embedded';

function describe(platform: EmbeddedPlatform): string {
  const lines = [
    'ML-RUN embedded mode is up',
    `  router           ${platform.urls.router}   (POST /v1/models/{name}/predict, predict:async)`,
    `  builder          ${platform.urls.builder}   (POST /v1/models, /docs)`,
    `  auth-issuer      ${platform.urls.authIssuer}   (POST /v1/auth/token, /docs)`,
    `  token-validator  ${platform.urls.tokenValidator}   (POST /v1/tokens/introspect, /docs)`,
    `  data             ${platform.dataDir}`,
  ];
  if (platform.generatedAdminPassword) {
    const { password, file } = platform.generatedAdminPassword;
    lines.push(`  admin password   ${password}   (shown once; kept in ${file})`);
  }
  lines.push(
    `  metrics          Bearer credential in ${platform.metricsTokenFile} (new every start)`,
  );
  lines.push(
    '',
    'log in:',
    `  curl -s -XPOST ${platform.urls.authIssuer}/v1/auth/token -H 'content-type: application/json' \\`,
    `       -d '{"grant_type":"password","username":"admin","password":"<password>"}'`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const platform = await startEmbedded();
  console.log(describe(platform));
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: stopping ML-RUN`);
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
