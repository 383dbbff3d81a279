import { MANIFEST_PATTERNS } from '@ml-run/model-contract';

/** Model names are DNS labels; a store never finds or writes any other name. */
export const MODEL_NAME = new RegExp(MANIFEST_PATTERNS.name);

export const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

// Names reach file paths and cache keys: anything but a DNS label (say "..") is a bug upstream.
export function checkedName(name: string): string {
  if (!MODEL_NAME.test(name)) throw new Error(`invalid model name ${JSON.stringify(name)}`);
  return name;
}
