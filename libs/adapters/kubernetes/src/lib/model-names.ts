// Names and labels of one model version's objects in the namespace.
import { createHash } from 'node:crypto';

/** Labels every object of a model version carries (deploy/openshift/ml-run-model.yaml). */
export const MODEL_LABELS = {
  installation: 'ml-run.io/installation',
  model: 'ml-run.io/model',
  instance: 'app.kubernetes.io/instance',
} as const;

/** The exact version (a label value may not hold "+"). */
export const VERSION_ANNOTATION = 'ml-run.io/version';

const NAME_PREFIX = 'mlrun-';
const HASH_CHARS = 12;
// A Service name is a DNS label: at most 63 characters.
const MAX_NAME = 63;
const MAX_LABEL_VALUE = 63;

/**
 * `mlrun-<name>-<12 hex of sha256(installation/name/version)>`, at most 63 characters:
 * versions hold characters names may not, and two installations may share a namespace.
 * A long model name is cut; the hash keeps the name unique.
 */
export function instanceNameOf(installation: string, name: string, version: string): string {
  const hash = createHash('sha256')
    .update(`${installation}/${name}/${version}`)
    .digest('hex')
    .slice(0, HASH_CHARS);
  const room = MAX_NAME - NAME_PREFIX.length - HASH_CHARS - 1;
  return `${NAME_PREFIX}${name.slice(0, room)}-${hash}`;
}

/**
 * The version as a label value: characters a label may not hold become `_`, at most 63,
 * starting and ending with an alphanumeric. For selection by eye; the annotation is exact.
 */
export function versionLabelOf(version: string): string {
  const safe = version.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_LABEL_VALUE);
  return safe.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

/** The label selector of this installation's objects. */
export function installationSelector(installation: string): string {
  return `${MODEL_LABELS.installation}=${installation}`;
}
