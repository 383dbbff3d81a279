export type ConfigIssue = { variable: string; message: string };

// Thrown once at start; main.ts prints it and exits, so the message names every bad variable.
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
