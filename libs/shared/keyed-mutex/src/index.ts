export { KeyedMutex } from './lib/keyed-mutex';
