export {
  registryStoreContract,
  versionRecord,
  type RegistryStoreBacking,
} from './registry-store-contract-suite';
