// Fixed values for the parameters that deploy/openshift templates require without a default
// (images, the registry's principals, a model's name): what an operator would pass with -p.
// One table for every template, by parameter name, so a parameter means the same thing in
// each. A template that gains a required parameter fails the golden test naming it until
// it is added here.

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

const CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBfixture-registry-ca-for-golden-renderings-only',
  '-----END CERTIFICATE-----',
].join('\n');

export const FIXTURE_PARAMETERS: Readonly<Record<string, string>> = {
  // ml-run-control-plane
  PLATFORM_IMAGE: `127.0.0.1:5000/ml-run/platform@${DIGEST}`,
  BASE_IMAGE: '127.0.0.1:5000/ml-run/base:fixture',
  REGISTRY: '127.0.0.1:5000',
  REGISTRY_CA: CA_PEM,
  REGISTRY_PUSH_PASSWORD: 'fixture-push-password-0123456789',
  REGISTRY_PULL_PASSWORD: 'fixture-pull-password-0123456789',
  DOCKER_SOCKET_GID: '999',
  // ml-run-model-build, ml-run-model
  MODEL: 'iris',
  NAME: 'iris',
  VERSION: '1.0.0+6526c66fa490',
  VERSION_LABEL: '1.0.0_6526c66fa490',
  INSTANCE: 'mlrun-iris-0123456789ab',
  IMAGE: `127.0.0.1:5000/ml-run/models/iris@${DIGEST}`,
};

/** The fixture values for the parameters a template declares (others are not passed). */
export function fixturesFor(declared: readonly { name: string }[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { name } of declared) {
    const value = FIXTURE_PARAMETERS[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/**
 * A deterministic stand-in for `generate: expression` (mulberry32, seeded per template):
 * the same template renders the same values on every run, so its golden file can be kept.
 */
export function seededRandomIndex(seed: string): (size: number) => number {
  let state = [...seed].reduce(
    (h, c) => Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0,
    2_166_136_261,
  );
  return (size) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    return Math.floor(unit * size);
  };
}
