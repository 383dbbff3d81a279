#!/usr/bin/env node
// Generates libs/shared/openshift/src/generated/ from github.com/openshift/api (the
// version pinned in tools/services/kubernetes/openshift-api.version, fetched into the Go
// module cache by fetch-api.sh):
//   - openshift-api.ts: TypeScript types for Template, Parameter (and the ObjectMeta they
//     use) from openapi/openapi.json, and Route from the Route CRD's openAPIV3Schema;
//   - openapi-schema.ts: the openapi.json definitions of the kinds checked offline
//     (Template, BuildConfig, ImageStream: served by Go code, no CRD) and every definition
//     they reference, in one map (they share ObjectMeta and core types), descriptions
//     dropped; route-schema.ts: the Route CRD's schema, likewise. Self-contained: each
//     $ref points into the file.
// No npm package models OpenShift's types, and hand-typed guesses drift: these are
// regenerated, never edited. `--check` writes nothing and exits 1 when a committed file
// differs from what it would generate (the lib's generated.spec.ts runs it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'libs/shared/openshift/src/generated');
const TEMPLATE = 'com.github.openshift.api.template.v1.Template';
// apiVersion/kind -> openapi.json definition, for the kinds the validators check offline.
const OPENAPI_KINDS = {
  'template.openshift.io/v1 Template': TEMPLATE,
  'build.openshift.io/v1 BuildConfig': 'com.github.openshift.api.build.v1.BuildConfig',
  'image.openshift.io/v1 ImageStream': 'com.github.openshift.api.image.v1.ImageStream',
};
const REF_PREFIX = '#/definitions/';

function apiDir() {
  return execFileSync(path.join(root, 'tools/openshift/fetch-api.sh'), { encoding: 'utf8' }).trim();
}

/** The definitions the root definitions reach through $ref, themselves included. */
function closure(definitions, ...rootNames) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    if (!definitions[name]) throw new Error(`openapi.json has no definition ${name}`);
    seen.add(name);
    walkRefs(definitions[name], (ref) => visit(ref.slice(REF_PREFIX.length)));
  };
  rootNames.forEach(visit);
  return [...seen].sort();
}

function walkRefs(node, onRef) {
  if (Array.isArray(node)) return node.forEach((item) => walkRefs(item, onRef));
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') onRef(value);
    else walkRefs(value, onRef);
  }
}

// Keywords whose value is a map of names to schemas (a property may be called
// "description", so the walk must not take those names for keywords).
const SCHEMA_MAPS = new Set(['properties', 'definitions', 'patternProperties']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

/** A schema without its descriptions (the validators do not print them; they are most of the bytes). */
function withoutDescriptions(schema) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    // `anyOf: null` (the Route CRD has one) means absent to the apiserver; ajv refuses it.
    if (key === 'description' || value === null) continue;
    if (SCHEMA_MAPS.has(key))
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, withoutDescriptions(sub)]),
      );
    else if (SCHEMA_VALUES.has(key)) out[key] = withoutDescriptions(value);
    else if (SCHEMA_LISTS.has(key)) out[key] = value.map(withoutDescriptions);
    else out[key] = value;
  }
  return out;
}

// Where openapi.json (OpenAPI v2) is narrower than what the apiserver decodes. Quantity
// declares OpenAPIV3OneOfTypes string and number (its v3 schema; Go's UnmarshalJSON takes
// `cpu: 2` unquoted), but v2 has one type only, string. kubernetes-models says the same.
const DEFINITION_OVERRIDES = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['string', 'number'] },
};

const typeName = (definition) => definition.slice(definition.lastIndexOf('.') + 1);

function docComment(description, indent) {
  if (!description) return '';
  // The first paragraph says what the field is; the rest is reference material upstream.
  const text = description.split('\n\n')[0].replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();
  return `${indent}/** ${text} */\n`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The TypeScript type of a schema: structural schemas of Kubernetes (OpenAPI v2 and CRD v3). */
function tsType(schema, indent) {
  if (schema.$ref) return typeName(schema.$ref.slice(REF_PREFIX.length));
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string'))
    return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${schema.items ? tsType(schema.items, indent) : 'unknown'}>`;
    case 'object':
    case undefined:
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function objectType(schema, indent) {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      return `{ [key: string]: ${tsType(schema.additionalProperties, indent)} }`;
    return schema.type === undefined && !schema['x-kubernetes-preserve-unknown-fields']
      ? 'unknown'
      : '{ [key: string]: unknown }';
  }
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = names.map((name) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    const optional = required.has(name) ? '' : '?';
    return `${docComment(properties[name].description, inner)}${inner}${key}${optional}: ${tsType(properties[name], inner)};\n`;
  });
  return `{\n${lines.join('')}${indent}}`;
}

function declaration(name, schema) {
  const type = tsType(schema, '');
  // `type`, not `interface`: the workspace's lint rule (interfaces are for ports).
  const doc = docComment(schema.description, '');
  return `${doc}export type ${name} = ${type};\n`;
}

function routeSchemaOf(crdText) {
  const crd = parseAllDocuments(crdText)[0].toJSON();
  const v1 = crd.spec.versions.find((version) => version.name === 'v1');
  if (!v1) throw new Error('the Route CRD has no v1 version');
  return v1.schema.openAPIV3Schema;
}

async function render(dir, version) {
  const openapi = JSON.parse(readFileSync(path.join(dir, 'openapi/openapi.json'), 'utf8'));
  const names = closure(openapi.definitions, TEMPLATE);
  const routeSchema = routeSchemaOf(
    readFileSync(path.join(dir, 'route/v1/zz_generated.crd-manifests/routes.crd.yaml'), 'utf8'),
  );
  const short = names.map(typeName);
  if (new Set(short).size !== short.length)
    throw new Error(`two definitions share a short name: ${names.join(', ')}`);

  const header = `// Generated by tools/openshift/generate-api.mjs from github.com/openshift/api@${version}.\n// Do not edit: run \`node tools/openshift/generate-api.mjs\`.\n`;
  const types =
    `${header}\nexport const OPENSHIFT_API_VERSION = '${version}';\n\n` +
    names.map((name) => declaration(typeName(name), openapi.definitions[name])).join('\n') +
    '\n' +
    declaration('Route', routeSchema);
  const openApiSchema = {
    definitions: Object.fromEntries(
      closure(openapi.definitions, ...Object.values(OPENAPI_KINDS)).map((name) => [
        name,
        DEFINITION_OVERRIDES[name] ?? withoutDescriptions(openapi.definitions[name]),
      ]),
    ),
  };
  const schemaModule = (constName, what, schema) =>
    `${header}\n/** ${what} */\nexport const ${constName}: Record<string, unknown> = ${JSON.stringify(schema)};\n`;
  const kindsModule =
    '\n/** apiVersion and kind -> the openapi.json definition (in openApiSchema) that schemas it. */\n' +
    `export const openApiKinds: Record<string, string> = ${JSON.stringify(OPENAPI_KINDS)};\n`;

  const files = {
    'openshift-api.ts': types,
    'openapi-schema.ts':
      schemaModule(
        'openApiSchema',
        `openapi.json's definitions of ${Object.keys(OPENAPI_KINDS).join(', ')} and those they reference (refs: #/definitions/<name>).`,
        openApiSchema,
      ) + kindsModule,
    'route-schema.ts': schemaModule(
      'routeSchema',
      "The Route CRD's v1 openAPIV3Schema (route/v1/zz_generated.crd-manifests/routes.crd.yaml).",
      withoutDescriptions(routeSchema),
    ),
  };
  const formatted = {};
  for (const [file, text] of Object.entries(files)) {
    const filepath = path.join(outDir, file);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    const pretty = await prettier.format(text, { ...options, filepath });
    // The lint's file-length limit is for code written by hand.
    formatted[filepath] =
      pretty.split('\n').length > 300
        ? pretty.replace('\n\n', '\n/* eslint-disable max-lines -- generated */\n\n')
        : pretty;
  }
  return formatted;
}

async function main() {
  const check = process.argv.includes('--check');
  const version = readFileSync(
    path.join(root, 'tools/services/kubernetes/openshift-api.version'),
    'utf8',
  ).trim();
  const files = await render(apiDir(), version);
  const stale = [];
  for (const [file, text] of Object.entries(files)) {
    let current = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: stale
    }
    if (current === text) continue;
    stale.push(path.relative(root, file));
    if (!check) writeFileSync(file, text);
  }
  if (check && stale.length > 0) {
    console.error(
      `stale generated files (run node tools/openshift/generate-api.mjs): ${stale.join(', ')}`,
    );
    process.exitCode = 1;
  } else if (!check) {
    console.log(stale.length ? `wrote ${stale.join(', ')}` : 'up to date');
  }
}

await main();
