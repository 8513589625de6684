import type {
  ChangeEntry,
  ClientToServerEvents,
  ErrorBody,
  LiveConnectError,
  RefusedNotice,
  ServerToClientEvents,
} from '@parley/contracts';
import type { Socket as ClientSocket } from 'socket.io-client';
import { LiveClient, type ConnectionState } from '@parley/live-client';
import type { TestApp } from './harness';

/* What the live suites share: a viewer that records what its LiveClient receives, and polling. */

/** Resolves when `predicate` holds, polling; fails with `what` after the timeout. */
export async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Viewer {
  client: LiveClient;
  changes: ChangeEntry[];
  states: ConnectionState[];
  errors: (ErrorBody | LiveConnectError | RefusedNotice)[];
  viewers: number[];
}

export function watch(t: TestApp, negotiationId: string, sinceSeq: number, token?: string, extra: Partial<ConstructorParameters<typeof LiveClient>[0]> = {}): Viewer {
  const client = new LiveClient({ url: t.url, negotiationId, sinceSeq, token, gapTimeoutMs: 300, ...extra });
  const viewer: Viewer = { client, changes: [], states: [], errors: [], viewers: [] };
  client.on('change', (e) => viewer.changes.push(e));
  client.on('state', (s) => viewer.states.push(s));
  client.on('error', (e) => viewer.errors.push(e));
  client.on('presence', (p) => viewer.viewers.push(p.viewers));
  client.start();
  return viewer;
}

export type RawSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

export const seqsOf = (v: Viewer) => v.changes.map((c) => c.seq);
export const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
