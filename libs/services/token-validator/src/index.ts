export { createTokenValidatorApp } from './lib/create-token-validator-app';
export { tokenValidatorConfigShape, type TokenValidatorConfig } from './lib/token-validator.config';
export type { TokenValidatorAdapters } from './lib/token-validator.module';
