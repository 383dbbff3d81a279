import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  generateFromExpression,
  parseTemplate,
  processTemplate,
  type KubernetesObject,
  type Template,
} from '@ml-run/openshift';

import { fixturesFor, seededRandomIndex } from './fixture-parameters';

/** deploy/openshift: every template there is rendered and checked, whoever wrote it. */
export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../deploy/openshift');

export type TemplateFile = {
  /** The file name, e.g. ml-run-control-plane.yaml. */
  file: string;
  text: string;
  template: Template;
};

/** Every *.yaml template in deploy/openshift, parsed, in file-name order. */
export function templateFiles(): TemplateFile[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');
      return { file, text, template: parseTemplate(text, file) };
    });
}

/** The template's parameters that are required, have no value and no generator. */
export function parametersWithoutValue(template: Template): string[] {
  return (template.parameters ?? [])
    .filter((p) => p.required && !p.value && !p.generate)
    .map((p) => p.name);
}

/**
 * `oc process` of the template with the fixture values, a seeded generator and the given
 * overrides (those the template does not declare are dropped, so one set of overrides
 * serves every template).
 */
export function renderTemplate(
  file: TemplateFile,
  overrides: Readonly<Record<string, string>> = {},
): KubernetesObject[] {
  const declared = file.template.parameters ?? [];
  const parameters = fixturesFor(declared);
  for (const { name } of declared) {
    const value = overrides[name];
    if (value !== undefined) parameters[name] = value;
  }
  const random = seededRandomIndex(file.file);
  return processTemplate(file.template, {
    parameters,
    generate: (from) => generateFromExpression(from, random),
  }).objects;
}
