// The ml-run-model template, read once and processed as `oc process` would for each version.
import { readFile } from 'node:fs/promises';
import type { KubernetesObject } from '@kubernetes/client-node';

import { parseTemplate, processTemplate } from '@ml-run/openshift';

import type { RenderModel } from './kubernetes-deployer';

/** The objects the deployer manages; a template that renders others is refused. */
const KINDS = ['Secret', 'Service', 'Deployment'];

/**
 * Reads and parses the template (its errors say what to fix, before any deploy), and gives
 * the function that renders one version's objects. Parameters the template does not declare
 * are an error, as with `oc process`: the template and the deployer must agree.
 */
export async function modelRenderer(templatePath: string): Promise<RenderModel> {
  const template = parseTemplate(await readFile(templatePath, 'utf8'), templatePath);
  return (parameters) => {
    const { objects } = processTemplate(template, { parameters });
    const rendered = objects as KubernetesObject[];
    const unknown = rendered.filter((object) => !KINDS.includes(object.kind ?? ''));
    if (unknown.length > 0)
      throw new Error(
        `${templatePath} renders ${unknown.map((object) => object.kind).join(', ')}: the openshift target applies only ${KINDS.join(', ')}`,
      );
    if (!rendered.some((object) => object.kind === 'Deployment'))
      throw new Error(`${templatePath} renders no Deployment: it is not an ml-run-model template`);
    return rendered;
  };
}
