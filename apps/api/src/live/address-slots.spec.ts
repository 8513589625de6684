import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { AddressSlots } from './address-slots';
import type { Connection } from './backlog';

/** A handshake request from an address, and the engine.io connection it becomes (only what AddressSlots reads). */
const request = (address: string) => ({ address }) as unknown as IncomingMessage;
const connectionOf = (req: IncomingMessage) => Object.assign(new EventEmitter(), { request: req }) as unknown as Connection & EventEmitter;

describe('AddressSlots', () => {
  const slots = () => new AddressSlots(2, (req) => (req as unknown as { address: string }).address);

  it('admits the limit per address, one more marked over it, and refuses the rest; other addresses are apart', () => {
    const s = slots();
    const [a, b, c, d] = [1, 2, 3, 4].map(() => request('10.0.0.1'));
    expect([a, b, c, d].map((r) => s.admit(r))).toEqual([true, true, true, false]);
    expect([a, b, c].map((r) => s.isOver(r))).toEqual([false, false, true]);
    expect(s.admit(request('10.0.0.2'))).toBe(true);
    expect(s.heldBy('10.0.0.1')).toBe(3);
  });

  it('holds a place until its connection closes', () => {
    const s = slots();
    const reqs = [1, 2, 3].map(() => request('10.0.0.1'));
    const conns = reqs.map((r) => (s.admit(r), connectionOf(r)));
    for (const conn of conns) s.opened(conn);
    expect(s.admit(request('10.0.0.1'))).toBe(false);
    conns[0].emit('close');
    conns[0].emit('close');
    expect(s.heldBy('10.0.0.1')).toBe(2);
    expect(s.admit(request('10.0.0.1'))).toBe(true);
  });

  it('gives the place back when no connection follows the handshake', () => {
    jest.useFakeTimers();
    try {
      const s = slots();
      s.admit(request('10.0.0.1'));
      const kept = request('10.0.0.1');
      s.admit(kept);
      s.opened(connectionOf(kept));
      jest.advanceTimersByTime(10_000);
      expect(s.heldBy('10.0.0.1')).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
