import { pathSegment } from '../api/path-segment';

/** The router's predict for one version, through the console's proxy (same origin). */
export function predictPath(name: string, version: string): string {
  return `/console/api/router/v1/models/${pathSegment(name)}/versions/${pathSegment(version)}/predict`;
}

/** The answer as the playground shows it: JSON indented, anything else as sent. */
export function formatAnswer(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  return JSON.stringify(answer, null, 2) ?? '';
}
