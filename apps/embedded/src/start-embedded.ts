import path from 'node:path';

import {
  authIssuerConfigShape,
  createAuthIssuerApp,
  generateSigningKeyPem,
  usersFileOf,
} from '@ml-run/auth-issuer';
import { loadConfig, loadConfigWith } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { createProcessLogger, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';
import { JWKS_PATH } from '@ml-run/token-contract';
import { MemoryTokenStore } from '@ml-run/token-store';
import { createTokenValidatorApp, tokenValidatorConfigShape } from '@ml-run/token-validator';
import { bootstrapAdmin, ensureUsersFile, expandHome } from '@ml-run/user-directory';

import { startModelPlane } from './control-plane';
import { embeddedConfigShape } from './embedded.config';
import { writeSecretFile } from './secret-files';
import { embeddedCredentials, type EmbeddedCredentials } from './service-credentials';

export type EmbeddedPlatform = {
  urls: { router: string; builder: string; authIssuer: string; tokenValidator: string };
  dataDir: string;
  /** Set when this start created the admin user with a generated password. */
  generatedAdminPassword?: { password: string; file: string };
  /** Where this start's scrape credential is (for /metrics of every service). */
  metricsTokenFile: string;
  close(): Promise<void>;
};

/**
 * Embedded mode: the four control-plane services in one process, sharing an in-memory
 * token store and event bus (docs/architecture.md §2). Model replicas run as child processes.
 */
export async function startEmbedded(): Promise<EmbeddedPlatform> {
  const config = loadConfig(embeddedConfigShape);
  // One process, one name for what is logged outside requests (requests name their service).
  const host = {
    handleSignals: false,
    processLogger: createProcessLogger('embedded', config.MLRUN_LOG_LEVEL),
  };
  const dataDir = expandHome(config.MLRUN_DATA_DIR);
  const { credentials, metricsTokenFile } = await credentialsOf(config, dataDir);
  const events = new MemoryEventBus();
  const tokenStore = new MemoryTokenStore();
  // Closed in this order: the builder stops its replicas while the validator still answers.
  const apps: ServiceApp[] = [];
  const close = async () => {
    for (const app of apps) await app.close();
    tokenStore.close();
  };
  try {
    const auth = await startAuthPlane(config, credentials, { tokenStore, events, host }, dataDir);
    apps.push(...auth.apps);
    const [router, builder] = await startModelPlane({
      ...{ routerPort: config.MLRUN_ROUTER_PORT, builderPort: config.MLRUN_BUILDER_PORT },
      ...{ validatorUrl: auth.validatorUrl, issuerUrl: auth.urls.authIssuer },
      ...(auth.signsTokens && { jwksUrl: new URL(JWKS_PATH, auth.urls.authIssuer).toString() }),
      ...{ credentials, events, host, sandbox: config.MLRUN_SANDBOX, tokenStore },
    });
    apps.unshift(builder, router);
    const urls = { router: urlOf(router), builder: urlOf(builder), ...auth.urls };
    return {
      urls,
      dataDir,
      generatedAdminPassword: auth.admin,
      metricsTokenFile,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// The scrape credential is the one a user needs (for a scraper): kept 0600 in the data dir.
async function credentialsOf(config: Parameters<typeof embeddedCredentials>[0], dataDir: string) {
  const credentials = embeddedCredentials(config);
  const metricsTokenFile = path.join(dataDir, 'metrics-token');
  await writeSecretFile(metricsTokenFile, credentials.metrics);
  return { credentials, metricsTokenFile };
}

type AuthAdapters = {
  tokenStore: MemoryTokenStore;
  events: MemoryEventBus;
  host: ServiceHostOptions;
};

async function startAuthPlane(
  config: { MLRUN_AUTH_ISSUER_PORT: number; MLRUN_TOKEN_VALIDATOR_PORT: number },
  credentials: EmbeddedCredentials,
  adapters: AuthAdapters,
  dataDir: string,
) {
  const issuerConfig = loadConfigWith(authIssuerConfigShape, {
    MLRUN_PORT: String(config.MLRUN_AUTH_ISSUER_PORT),
    MLRUN_METRICS_TOKEN: credentials.metrics,
    // Signed tokens: a key made for this start unless one is set, like the credentials.
    MLRUN_TOKEN_SIGNING_KEY: process.env['MLRUN_TOKEN_SIGNING_KEY'] || signingKeyIfJwt(),
  });
  const admin = await bootstrapAdminUser(
    usersFileOf(issuerConfig),
    issuerConfig.MLRUN_ADMIN_PASSWORD,
    dataDir,
  );
  const validatorConfig = loadConfigWith(tokenValidatorConfigShape, {
    MLRUN_PORT: String(config.MLRUN_TOKEN_VALIDATOR_PORT),
    MLRUN_INTROSPECTION_TOKEN: credentials.introspection,
    MLRUN_METRICS_TOKEN: credentials.metrics,
  });
  const { host, ...stores } = adapters;
  const validator = await createTokenValidatorApp(validatorConfig, stores, host);
  const issuer = await createAuthIssuerApp(issuerConfig, stores, host);
  const apps = [validator, issuer];
  const [validatorUrl = '', issuerUrl = ''] = await Promise.all(apps.map((app) => app.listen()));
  return {
    apps,
    validatorUrl,
    urls: { authIssuer: issuerUrl, tokenValidator: validatorUrl },
    admin,
    signsTokens: issuerConfig.MLRUN_TOKEN_FORMAT === 'jwt',
  };
}

function signingKeyIfJwt(): string | undefined {
  return process.env['MLRUN_TOKEN_FORMAT'] === 'jwt' ? generateSigningKeyPem() : undefined;
}

function urlOf(app: ServiceApp): string {
  const address = app.nest.getHttpServer().address();
  return typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
}

// The admin password is shown once and kept 0600 in the data dir: it can't be recovered
// from the users file, which holds only its scrypt hash.
async function bootstrapAdminUser(
  usersFile: string,
  password: string | undefined,
  dataDir: string,
) {
  await ensureUsersFile(usersFile);
  const { generatedPassword } = await bootstrapAdmin(usersFile, password);
  if (!generatedPassword) return undefined;
  const file = path.join(dataDir, 'admin-password');
  await writeSecretFile(file, generatedPassword);
  return { password: generatedPassword, file };
}
