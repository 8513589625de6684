export * from './lib/sequencer';
export * from './lib/live-client';
