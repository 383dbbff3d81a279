export {
  REGISTRY_STORE,
  type Aliases,
  type DesiredDeployment,
  type RegistryStore,
} from './lib/registry-store.port';
export { FileRegistryStore } from './lib/file-registry-store.adapter';
export {
  IgniteRegistryStore,
  type IgniteRegistryStoreOptions,
  type RegistryCache,
} from './lib/ignite-registry-store';
export { MODEL_NAME } from './lib/registry-names';
export { isMissing, syncDir } from './lib/json-files';
