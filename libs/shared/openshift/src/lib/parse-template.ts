import { parse as parseYaml } from 'yaml';

import { TemplateError } from './template.errors';
import type { Template } from './template.types';

const API_VERSIONS = ['template.openshift.io/v1', 'v1'];

// openshift-apiserver's template validation: the names `${NAME}` can reference.
const PARAMETER_NAME = /^[a-zA-Z0-9_]+$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a Template from YAML or JSON (JSON is YAML) and checks its shape the way `oc
 * process` decodes it into openshift/api's typed Template: the fields it knows must have
 * their types (a parameter's `value` is a string, so YAML's `value: 3` is refused, quote
 * it), and parameter names are what the server's validation allows. Unknown fields are
 * ignored, as Go's decoder does. YAML is read as YAML 1.1 (`yes` is a boolean), as oc's
 * yaml.v2 reads it. `source` names the input in messages.
 */
export function parseTemplate(text: string, source = 'template'): Template {
  let document: unknown;
  try {
    document = parseYaml(text, { version: '1.1', merge: true });
  } catch (error) {
    throw invalid(`${source} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return checkTemplate(document, source);
}

/** The shape checks of parseTemplate, for a template already decoded. */
export function checkTemplate(document: unknown, source = 'template'): Template {
  if (!isObject(document)) throw invalid(`${source} must be a YAML or JSON object, a Template`);
  const { kind, apiVersion } = document;
  if (kind !== 'Template' || typeof apiVersion !== 'string' || !API_VERSIONS.includes(apiVersion))
    throw invalid(
      `${source} is a ${String(apiVersion)} ${String(kind)}, not a Template: set kind: Template and apiVersion: template.openshift.io/v1`,
    );
  const problems = templateProblems(document);
  if (problems.length > 0)
    throw new TemplateError(
      'TEMPLATE_INVALID',
      `${source} is not a valid Template: ${problems.join('; ')}`,
      problems,
    );
  // Go decodes null as absent; so do we, so that processing sees one shape.
  const template = Object.fromEntries(
    Object.entries(document).filter(([, value]) => value !== null),
  ) as unknown as Template;
  template.objects ??= [];
  return template;
}

function templateProblems(document: Json): string[] {
  const problems: string[] = [];
  const field = (name: string, check: (value: unknown) => boolean, what: string) => {
    const value = document[name];
    if (value !== undefined && value !== null && !check(value))
      problems.push(`${name} must be ${what}`);
  };
  field('metadata', isObject, 'an object');
  field('message', (v) => typeof v === 'string', 'a string');
  field(
    'labels',
    (v) => isObject(v) && Object.values(v).every((l) => typeof l === 'string'),
    'a map of strings (quote numbers and booleans)',
  );
  field('objects', Array.isArray, 'a list of objects');
  field('parameters', Array.isArray, 'a list of parameters');
  if (Array.isArray(document.objects))
    document.objects.forEach((object, i) => {
      if (!isObject(object)) problems.push(`objects[${i}] must be an object`);
    });
  if (Array.isArray(document.parameters))
    document.parameters.forEach((parameter, i) =>
      problems.push(...parameterProblems(parameter, i)),
    );
  return problems;
}

function parameterProblems(parameter: unknown, i: number): string[] {
  const at = `parameters[${i}]`;
  if (!isObject(parameter)) return [`${at} must be an object with a name`];
  const problems: string[] = [];
  const { name } = parameter;
  if (name === undefined || name === null || name === '') problems.push(`${at}.name is required`);
  else if (typeof name !== 'string') problems.push(`${at}.name ${NOT_A_STRING}`);
  else if (!PARAMETER_NAME.test(name))
    problems.push(`${at}.name ${JSON.stringify(name)} may hold only letters, digits and _`);
  for (const key of ['value', 'generate', 'from', 'description', 'displayName'] as const) {
    const value = parameter[key];
    if (value !== undefined && value !== null && typeof value !== 'string')
      problems.push(`${at}.${key} ${NOT_A_STRING}`);
  }
  const { required } = parameter;
  if (required !== undefined && required !== null && typeof required !== 'boolean')
    problems.push(`${at}.required must be true or false`);
  return problems;
}

// YAML 1.1 (oc's) reads unquoted numbers, yes/no, on/off and y/n as non-strings.
const NOT_A_STRING =
  'must be a string: quote it (YAML reads numbers, yes/no, on/off, y/n unquoted as non-strings)';

const invalid = (message: string) => new TemplateError('TEMPLATE_INVALID', message);
