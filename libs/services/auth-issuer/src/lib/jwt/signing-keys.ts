import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  type KeyObject,
} from 'node:crypto';

import { ConfigError } from '@ml-run/config';
import { TOKEN_SIGNING_ALGORITHM, type TokenJwk, type TokenJwks } from '@ml-run/token-contract';

/** The key new tokens are signed with, and every key the JWKS publishes. */
export type SigningKeys = {
  signing: { kid: string; key: KeyObject };
  jwks: TokenJwks;
};

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * The issuer's keys from its settings: `signingPem` (MLRUN_TOKEN_SIGNING_KEY, a P-256
 * private key) signs; `publishedPems` (MLRUN_TOKEN_PUBLISHED_KEYS, public keys) are only
 * published: the next key before it signs, the previous one until its last token expires.
 * Each `kid` is the key's RFC 7638 thumbprint, so no two settings can disagree about it.
 */
export function signingKeysOf(signingPem: string, publishedPems = ''): SigningKeys {
  const key = readKey('MLRUN_TOKEN_SIGNING_KEY', () => createPrivateKey(signingPem));
  const signing = jwkOf(createPublicKey(key));
  const published = (publishedPems.match(PEM_BLOCK) ?? []).map((pem) =>
    jwkOf(readKey('MLRUN_TOKEN_PUBLISHED_KEYS', () => createPublicKey(pem))),
  );
  if (publishedPems.trim() !== '' && published.length === 0) {
    throw keyError('MLRUN_TOKEN_PUBLISHED_KEYS', 'holds no PEM block');
  }
  const others = published.filter((jwk) => jwk.kid !== signing.kid);
  return { signing: { kid: signing.kid, key }, jwks: { keys: [signing, ...others] } };
}

/** A fresh P-256 private key, PKCS#8 PEM: embedded mode makes one per start. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function readKey(variable: string, read: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch {
    throw keyError(variable, 'is not a PEM key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw keyError(variable, `must be an EC P-256 key (${TOKEN_SIGNING_ALGORITHM})`);
  }
  return key;
}

function keyError(variable: string, problem: string): ConfigError {
  const make = 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256';
  return new ConfigError([{ variable, message: `${problem}: make one with \`${make}\`` }]);
}

function jwkOf(publicKey: KeyObject): TokenJwk {
  const { x, y } = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  // RFC 7638: the required members, in lexicographic order, without whitespace.
  const thumbprint = hash('sha256', JSON.stringify({ crv: 'P-256', kty: 'EC', x, y }), 'base64url');
  return {
    kty: 'EC',
    crv: 'P-256',
    x,
    y,
    kid: thumbprint,
    alg: TOKEN_SIGNING_ALGORITHM,
    use: 'sig',
  };
}

/** The keys the config names: none for opaque tokens; a ConfigError when jwt lacks its key. */
export function signingKeysOfConfig(config: {
  MLRUN_TOKEN_FORMAT: 'opaque' | 'jwt';
  MLRUN_TOKEN_SIGNING_KEY?: string | undefined;
  MLRUN_TOKEN_PUBLISHED_KEYS?: string | undefined;
}): SigningKeys | undefined {
  if (config.MLRUN_TOKEN_FORMAT !== 'jwt') return undefined;
  if (config.MLRUN_TOKEN_SIGNING_KEY === undefined) {
    throw keyError('MLRUN_TOKEN_SIGNING_KEY', 'is required when MLRUN_TOKEN_FORMAT=jwt');
  }
  return signingKeysOf(config.MLRUN_TOKEN_SIGNING_KEY, config.MLRUN_TOKEN_PUBLISHED_KEYS);
}
