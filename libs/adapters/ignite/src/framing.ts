// A second entry with only the response framing fix: the node model worker (a plain Node
// program, bundled on its own) needs it without the token store, Nest and zod of index.ts.
export { installIgniteResponseFraming } from './lib/response-framing';
