/**
 * One path segment (a model name, a version): escaped, except `+`, which versions carry
 * (`1.0.0+6526c66fa490`) and which is literal in a path (RFC 3986 sub-delims), so logs,
 * links and the console proxy's allowlist see the version as written.
 * @example pathSegment('1.0.0+6526c66fa490') // '1.0.0+6526c66fa490'
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%2B/gi, '+');
}
