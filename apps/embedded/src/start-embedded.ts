import path from 'node:path';

import { authIssuerConfigShape, createAuthIssuerApp, usersFileOf } from '@ml-run/auth-issuer';
import { loadConfig, loadConfigWith } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';
import { createTokenValidatorApp, tokenValidatorConfigShape } from '@ml-run/token-validator';
import { bootstrapAdmin, ensureUsersFile, expandHome } from '@ml-run/user-directory';

import { embeddedConfigShape } from './embedded.config';
import { secretFromFile, writeSecretFile } from './secret-files';

export type EmbeddedPlatform = {
  urls: { authIssuer: string; tokenValidator: string };
  dataDir: string;
  /** Set when this start created the admin user with a generated password. */
  generatedAdminPassword?: { password: string; file: string };
  serviceTokenFile?: string;
  close(): Promise<void>;
};

/**
 * Embedded mode: the control-plane services in one process, sharing an in-memory token
 * store and event bus (DESIGN.md §2). Wrappers run as separate processes and reach the
 * validator over HTTP.
 */
export async function startEmbedded(): Promise<EmbeddedPlatform> {
  const config = loadConfig(embeddedConfigShape);
  const dataDir = expandHome(config.MLRUN_DATA_DIR);
  const service = await serviceToken(config.MLRUN_SERVICE_TOKEN, dataDir);
  const issuerConfig = loadConfigWith(authIssuerConfigShape, {
    MLRUN_PORT: String(config.MLRUN_AUTH_ISSUER_PORT),
  });
  const admin = await bootstrapAdminUser(
    usersFileOf(issuerConfig),
    issuerConfig.MLRUN_ADMIN_PASSWORD,
    dataDir,
  );
  const validatorConfig = loadConfigWith(tokenValidatorConfigShape, {
    MLRUN_PORT: String(config.MLRUN_TOKEN_VALIDATOR_PORT),
    MLRUN_SERVICE_TOKEN: service.token,
  });
  const tokenStore = new MemoryTokenStore();
  const events = new MemoryEventBus();
  const host = { handleSignals: false };
  const apps: ServiceApp[] = [];
  try {
    apps.push(await createTokenValidatorApp(validatorConfig, { tokenStore, events }, host));
    apps.push(await createAuthIssuerApp(issuerConfig, { tokenStore, events }, host));
    const [tokenValidator, authIssuer] = await Promise.all(apps.map((app) => app.listen()));
    return {
      urls: { authIssuer: authIssuer ?? '', tokenValidator: tokenValidator ?? '' },
      dataDir,
      generatedAdminPassword: admin,
      serviceTokenFile: service.file,
      close: async () => {
        await Promise.all(apps.map((app) => app.close()));
        tokenStore.close();
      },
    };
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw error;
  }
}

async function serviceToken(configured: string | undefined, dataDir: string) {
  if (configured) return { token: configured, file: undefined };
  const file = path.join(dataDir, 'service-token');
  return { token: (await secretFromFile(file)).value, file };
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
