export { MemoryIgniteCache } from './memory-ignite-cache';
