// The one swc setup for tests (Jest) and builds (esbuild): Nest needs legacy decorators
// with their type metadata, which neither tsc-free tool emits otherwise.
function swcOptions(moduleType) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: moduleType },
  };
}

module.exports = { swcOptions };
