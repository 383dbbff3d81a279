export { ModelVersionPage } from './model-version-page';
