export { parseTemplate, checkTemplate } from './lib/parse-template';
export { processTemplate, type ProcessOptions } from './lib/process-template';
export { toList } from './lib/to-list';
export { TemplateError, type TemplateErrorCode } from './lib/template.errors';
export {
  generateFromExpression,
  cryptoRandomIndex,
  type RandomIndex,
} from './lib/expression-generator';
export {
  validateTemplateSchema,
  validateRouteSchema,
  validateOpenShiftSchema,
  OPENSHIFT_SCHEMA_KINDS,
  type SchemaValidation,
} from './lib/schema-validation';
export type {
  Template,
  TemplateParameter,
  Route,
  ObjectMeta,
  KubernetesObject,
  KubernetesList,
  ProcessedTemplate,
} from './lib/template.types';
export { OPENSHIFT_API_VERSION } from './generated/openshift-api';
