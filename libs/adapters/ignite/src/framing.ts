// A second entry with only the check that apache-ignite-client carries the framing patch: the
// node model worker (a plain Node program, bundled on its own) needs it without the token
// store, Nest and zod of index.ts.
export { checkIgniteResponseFraming } from './lib/response-framing';
