import { generateFromExpression } from './expression-generator';
import { hasStringReference, substitute, substituteObject } from './parameter-substitution';
import { TemplateError, type TemplateErrorCode } from './template.errors';
import type {
  KubernetesObject,
  ProcessedTemplate,
  Template,
  TemplateParameter,
} from './template.types';

export type ProcessOptions = {
  /** Parameter values, as `oc process -p NAME=VALUE`: they replace `value` and `generate`. */
  parameters?: Record<string, string>;
  /**
   * Sets metadata.namespace on every object that has none after processing, as `oc
   * process | oc apply -n NAMESPACE` would. `oc process` itself sets none.
   */
  namespace?: string;
  /** Extra labels for every object, as `oc process -l`: they override the template's. */
  labels?: Record<string, string>;
  /** Makes the value of a `generate: expression` parameter from its `from` (tests seed it). */
  generate?: (expression: string) => string;
  /** Parameters the template does not declare are ignored instead of refused. */
  ignoreUnknownParameters?: boolean;
};

/**
 * Processes a template as `oc process` does: library-go's
 * pkg/template/templateprocessing Processor (ported in behaviour, see the README), after
 * oc's injection of the user's parameters. The template is not modified.
 */
export function processTemplate(
  template: Template,
  options: ProcessOptions = {},
): ProcessedTemplate {
  const parameters = injectUserValues(template.parameters ?? [], options);
  generateValues(parameters, options.generate ?? ((from) => generateFromExpression(from)));

  // Later parameters of the same name win the lookup (a Go map filled in order).
  const values = new Map(parameters.map((p) => [p.name, p.value ?? '']));
  const message =
    template.message === undefined ? undefined : substitute(values, template.message).text;
  const labels = objectLabels(template.labels, options.labels, values);
  const objects = (template.objects ?? []).map((object, i) =>
    processObject(object, `objects[${i}]`, values, labels, options.namespace),
  );
  return {
    objects,
    parameters,
    ...(message === undefined ? {} : { message }),
    ...(labels === undefined ? {} : { labels }),
  };
}

function injectUserValues(
  declared: TemplateParameter[],
  options: ProcessOptions,
): TemplateParameter[] {
  const parameters = declared.map((p) => ({ ...p }));
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(options.parameters ?? {})) {
    // oc sets the first parameter of that name, and drops its generator.
    const parameter = parameters.find((p) => p.name === name);
    if (parameter) {
      parameter.value = value;
      delete parameter.generate;
    } else unknown.push(name);
  }
  if (unknown.length > 0 && !options.ignoreUnknownParameters) {
    const declaredNames = parameters.map((p) => p.name).join(', ') || 'none';
    throw new TemplateError(
      'PARAMETER_UNKNOWN',
      `unknown parameter name ${unknown.map((n) => JSON.stringify(n)).join(', ')}: the template declares ${declaredNames} (or pass --ignore-unknown-parameters)`,
      unknown.map((n) => `unknown parameter name ${JSON.stringify(n)}`),
    );
  }
  return parameters;
}

function generateValues(parameters: TemplateParameter[], generate: (from: string) => string) {
  const problems: { code: TemplateErrorCode; message: string }[] = [];
  parameters.forEach((parameter, i) => {
    if (parameter.value) return;
    const at = `parameters[${i}] (${parameter.name})`;
    if (parameter.generate) {
      if (parameter.generate !== 'expression') {
        problems.push({
          code: 'GENERATOR_INVALID',
          message: `${at}: unknown generator "${parameter.generate}": the only generator is "expression"`,
        });
        return;
      }
      try {
        parameter.value = generate(parameter.from ?? '');
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        problems.push({ code: error.code, message: `${at}: ${error.message}` });
        return;
      }
    }
    if (!parameter.value && parameter.required)
      problems.push({
        code: 'PARAMETER_REQUIRED',
        message: `${at} is required and has no value: pass -p ${parameter.name}=VALUE`,
      });
  });
  if (problems.length > 0)
    throw new TemplateError(
      problems[0].code,
      problems.map((p) => p.message).join('; '),
      problems.map((p) => p.message),
    );
}

function objectLabels(
  templateLabels: Record<string, string> | undefined,
  extra: Record<string, string> | undefined,
  values: ReadonlyMap<string, string>,
): Record<string, string> | undefined {
  if (templateLabels === undefined && extra === undefined) return undefined;
  const labels: Record<string, string> = {};
  // Keys and values both substituted; `${{NAME}}` gives the value's text here.
  for (const [key, value] of Object.entries({ ...templateLabels, ...extra }))
    labels[substitute(values, key).text] = substitute(values, value).text;
  return labels;
}

function processObject(
  raw: unknown,
  at: string,
  values: ReadonlyMap<string, string>,
  labels: Record<string, string> | undefined,
  namespace: string | undefined,
): KubernetesObject {
  const object = structuredClone(raw) as Record<string, unknown>;
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new TemplateError('TEMPLATE_INVALID', `${at} must be an object`);
  if (typeof object.kind !== 'string' || object.kind === '')
    throw new TemplateError('TEMPLATE_INVALID', `${at} has no kind: set kind (and apiVersion)`);
  if ('items' in object)
    throw new TemplateError(
      'TEMPLATE_INVALID',
      `${at} is a list (it has items): put its items in the template's objects instead`,
    );
  stripNamespace(object);
  const substituted = substituteObject(values, object, at) as Record<string, unknown>;
  groupify(substituted, at);
  if (labels !== undefined) addLabels(substituted, labels);
  if (namespace !== undefined) setDefaultNamespace(substituted, namespace);
  return substituted as KubernetesObject;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A namespace written in the template is removed; one holding a `${NAME}` reference stays
 * and is substituted (upstream's stripNamespace). Upstream's corner cases kept: a
 * non-string namespace becomes "", and an object without metadata loses a top-level
 * `namespace` the same way.
 */
function stripNamespace(object: Record<string, unknown>) {
  const { metadata } = object;
  if (isMap(metadata)) {
    const ns = metadata.namespace;
    if (typeof ns === 'string' && ns !== '' && !hasStringReference(ns)) delete metadata.namespace;
    else if (ns !== undefined && typeof ns !== 'string') metadata.namespace = '';
    return;
  }
  if (metadata !== undefined) return;
  if ('namespace' in object) {
    const ns = object.namespace;
    if (typeof ns !== 'string' || !hasStringReference(ns)) object.namespace = '';
  }
}

// openshift/library-go pkg/legacyapi/legacygroupification: the kinds of the old `v1`
// OpenShift API, moved to their groups so that today's servers accept them.
const LEGACY_GROUPS: Record<string, string> = {
  DeploymentConfigRollback: 'apps',
  DeploymentConfig: 'apps',
  DeploymentConfigList: 'apps',
  DeploymentLog: 'apps',
  DeploymentRequest: 'apps',
  ...Object.fromEntries(
    ['ClusterRoleBinding', 'ClusterRole', 'RoleBindingRestriction', 'RoleBinding', 'Role']
      .flatMap((k) => [k, `${k}List`])
      .concat([
        'SubjectRulesReview',
        'SelfSubjectRulesReview',
        'ResourceAccessReview',
        'LocalResourceAccessReview',
        'SubjectAccessReview',
        'LocalSubjectAccessReview',
      ])
      .map((k) => [k, 'authorization']),
  ),
  ...Object.fromEntries(
    ['BuildConfig', 'BuildConfigList', 'Build', 'BuildList']
      .concat(['BinaryBuildRequestOptions', 'BuildLog', 'BuildRequest'])
      .map((k) => [k, 'build']),
  ),
  ...Object.fromEntries(
    ['Image', 'ImageList', 'ImageSignature', 'ImageStreamImage', 'ImageStreamImport']
      .concat(['ImageStreamMapping', 'ImageStream', 'ImageStreamList', 'ImageStreamTag'])
      .concat(['ImageStreamTagList'])
      .map((k) => [k, 'image']),
  ),
  ...Object.fromEntries(
    ['ClusterNetwork', 'EgressNetworkPolicy', 'HostSubnet', 'NetNamespace']
      .flatMap((k) => [k, `${k}List`])
      .map((k) => [k, 'network']),
  ),
  ...Object.fromEntries(
    ['OAuthAccessToken', 'OAuthAuthorizeToken', 'OAuthClientAuthorization', 'OAuthClient']
      .flatMap((k) => [k, `${k}List`])
      .map((k) => [k, 'oauth']),
  ),
  Project: 'project',
  ProjectList: 'project',
  ProjectRequest: 'project',
  ClusterResourceQuota: 'quota',
  ClusterResourceQuotaList: 'quota',
  AppliedClusterResourceQuota: 'quota',
  AppliedClusterResourceQuotaList: 'quota',
  Route: 'route',
  RouteList: 'route',
  SecurityContextConstraints: 'security',
  SecurityContextConstraintsList: 'security',
  PodSecurityPolicySubjectReview: 'security',
  PodSecurityPolicySelfSubjectReview: 'security',
  PodSecurityPolicyReview: 'security',
  Template: 'template',
  TemplateList: 'template',
  ...Object.fromEntries(
    [
      'Group',
      'GroupList',
      'Identity',
      'IdentityList',
      'UserIdentityMapping',
      'User',
      'UserList',
    ].map((k) => [k, 'user']),
  ),
};

/**
 * `apiVersion: v1` with an OpenShift kind (Route, BuildConfig, ImageStream...) becomes its
 * group's version (`route.openshift.io/v1`), after substitution, as upstream does; the
 * apiVersion and kind are then written back as strings.
 */
function groupify(object: Record<string, unknown>, at: string) {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const slashes = apiVersion.split('/').length - 1;
  if (slashes > 1)
    throw new TemplateError(
      'TEMPLATE_INVALID',
      `${at}: apiVersion ${JSON.stringify(apiVersion)} is not group/version or version`,
    );
  let [group, version] = slashes === 1 ? apiVersion.split('/') : ['', apiVersion];
  if (apiVersion === '/') [group, version] = ['', ''];
  if (group === '' && kind in LEGACY_GROUPS) group = `${LEGACY_GROUPS[kind]}.openshift.io`;
  object.apiVersion = group ? `${group}/${version}` : version;
  object.kind = kind;
}

/**
 * The template's labels go on metadata.labels, over the object's own (upstream's
 * addObjectLabels). Pod template labels (spec.template.metadata.labels) are not touched:
 * upstream adds them only for typed DeploymentConfigs, which objects decoded from a
 * template never are. Kept from upstream: labels that are not all strings are replaced
 * as a whole, and an object whose metadata is not a map is left alone.
 */
function addLabels(object: Record<string, unknown>, labels: Record<string, string>) {
  if (object.metadata === undefined) object.metadata = {};
  const { metadata } = object;
  if (!isMap(metadata)) return;
  const own = metadata.labels;
  const kept = isMap(own) && Object.values(own).every((v) => typeof v === 'string') ? own : {};
  metadata.labels = { ...kept, ...labels };
}

function setDefaultNamespace(object: Record<string, unknown>, namespace: string) {
  if (object.metadata === undefined) object.metadata = {};
  const { metadata } = object;
  if (isMap(metadata) && !metadata.namespace) metadata.namespace = namespace;
}
