export { createBuilderApp } from './lib/create-builder-app';
export { builderConfigShape, type BuilderConfig } from './lib/builder.config';
export type { BuilderAdapters } from './lib/builder.module';
