export * from './lib/positions';
export * from './lib/errors';
export * from './lib/primitives';
export * from './lib/schemas';
export * from './lib/views';
export * from './lib/changes';
export * from './lib/auth';
export * from './lib/live';
