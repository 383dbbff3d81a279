export * from './lib/api';
export * from './lib/session';
export * from './lib/shell';
