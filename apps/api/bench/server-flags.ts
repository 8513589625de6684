/**
 * The Node flags `npm start` runs the server with (package.json "start"; keep the two equal): the
 * benchmarks measure the server as deployed. A 64 MB young generation (V8's default is 16 MB):
 * a matrix at a million events allocates ~10 MB of short-lived objects, and with the default each
 * answer took several scavenges that copied the views it was still building (warm p50 71-93 ms
 * against 57-59 ms, alternating runs, 2026-11-27).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
