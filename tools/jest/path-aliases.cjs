// Maps the tsconfig path aliases (one per lib) to Jest module names, so tests resolve
// `@ml-run/<lib>` exactly as the TypeScript compiler and the bundler do.
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');
const mapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const escaped = alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  mapper[`^${escaped}$`] = path.join(root, target);
}
module.exports = mapper;
