export { MemoryDeployer, type MemoryDeployerOptions } from './memory-deployer';
