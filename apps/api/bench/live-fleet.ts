/**
 * A separate process holding N viewers (the real LiveClient, or bare socket.io clients for the
 * baseline). It records when each change arrives at each viewer and, given the HTTP ack times,
 * returns the latency distribution. Driven by live.bench.ts over IPC.
 */
import '../src/register-paths';
import type { ChangeEntry } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { io, type Socket } from 'socket.io-client';
import { summary } from './stats';

interface ConnectMessage {
  type: 'connect';
  mode: 'parley' | 'bare';
  url: string;
  count: number;
  negotiationId: string;
  sinceSeq: number;
  token: string;
}
interface AcksMessage {
  type: 'acks';
  /** seq → epoch ms (high resolution) at which the writer got the HTTP answer */
  acks: Record<string, number>;
}
type Message = ConnectMessage | AcksMessage | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
const receipts: Map<number, number>[] = [];
let closers: (() => Promise<void> | void)[] = [];

async function connect(m: ConnectMessage): Promise<void> {
  const ready: Promise<void>[] = [];
  for (let i = 0; i < m.count; i++) {
    const seen = new Map<number, number>();
    receipts.push(seen);
    if (m.mode === 'parley') {
      const client = new LiveClient({ url: m.url, negotiationId: m.negotiationId, sinceSeq: m.sinceSeq, token: m.token });
      client.on('change', (entry: ChangeEntry) => seen.set(entry.seq, now()));
      ready.push(new Promise((resolve) => client.on('state', (s) => s === 'live' && resolve())));
      client.start();
      closers.push(() => client.close());
    } else {
      const socket: Socket = io(m.url, { transports: ['websocket'], reconnection: false });
      socket.on('change', (entry: { seq: number }) => seen.set(entry.seq, now()));
      ready.push(new Promise((resolve) => socket.on('connect', () => resolve())));
      closers.push(() => void socket.disconnect());
    }
    // Pace the handshakes a little so the server is not hit by thousands at once.
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(ready);
}

function results(acks: Record<string, number>) {
  const latencies: number[] = [];
  let missing = 0;
  for (const seen of receipts) {
    for (const [seq, ack] of Object.entries(acks)) {
      const at = seen.get(Number(seq));
      if (at === undefined) missing++;
      else latencies.push(at - ack);
    }
  }
  let first = Infinity;
  for (const at of Object.values(acks)) first = Math.min(first, at);
  let last = -Infinity;
  for (const seen of receipts) for (const at of seen.values()) last = Math.max(last, at);
  return { ...summary(latencies), delivered: latencies.length, missing, seconds: (last - first) / 1000 };
}

process.on('message', (m: Message) => {
  void (async () => {
    switch (m.type) {
      case 'connect':
        await connect(m);
        process.send?.({ type: 'ready' });
        break;
      case 'acks':
        process.send?.({ type: 'results', results: results(m.acks) });
        break;
      case 'close':
        await Promise.all(closers.map((c) => c()));
        closers = [];
        process.exit(0);
    }
  })();
});
