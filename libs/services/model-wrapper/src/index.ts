export { createModelWrapperApp } from './lib/create-model-wrapper-app';
export { modelWrapperConfigShape } from './lib/model-wrapper.config';
export type { ModelWrapperConfig } from './lib/model-wrapper.module';
