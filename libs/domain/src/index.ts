export * from './lib/time';
export * from './lib/projection';
export * from './lib/metrics';
export * from './lib/diff';
export * from './lib/compare';
export * from './lib/matrix-filter';
export * from './lib/stance-index';
export * from './lib/chart-span';
