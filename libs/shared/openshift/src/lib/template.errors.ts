export type TemplateErrorCode =
  | 'TEMPLATE_INVALID'
  | 'PARAMETER_REQUIRED'
  | 'PARAMETER_UNKNOWN'
  | 'PARAMETER_INVALID'
  | 'GENERATOR_INVALID';

/**
 * A template or its parameters cannot be processed. The message names the field (as
 * `oc process` does: `parameters[2]`, `objects[0]`) and says what to fix; `details` holds
 * every problem found when there were several (oc reports them all at once too).
 */
export class TemplateError extends Error {
  readonly details: readonly string[];

  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    details: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'TemplateError';
    this.details = details;
  }
}
