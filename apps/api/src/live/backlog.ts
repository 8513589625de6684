import type { Socket } from 'socket.io';

/**
 * What engine.io (6.6, pinned through socket.io 4.8.3) holds for one connection and does not
 * expose: packets waiting for the transport, and, for WebSocket, the `ws` socket whose own buffer
 * and TCP socket hold what was handed over but not yet taken by the client. Read structurally, in
 * this one place; the slow-consumer test fails if a version bump moves them.
 */
interface EngineInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { name?: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

const DRAIN_POLL_MS = 20;

const sizeOf = (data: unknown): number =>
  typeof data === 'string' ? data.length : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0;

/** A client's engine.io connection (it outlives its socket.io socket while a close waits to be sent). */
export type Connection = Socket['conn'];

/** About how many bytes this node holds for the connection that its client has not read yet. */
export function backlogBytes(connection: Connection): number {
  const conn = connection as unknown as EngineInternals;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) bytes += sizeOf(packet.data);
  return bytes;
}

/**
 * Drops the connection of a client that does not read, and with it everything waiting for it, at
 * once: no DISCONNECT packet (it would wait behind the backlog the client is not reading) and no
 * WebSocket closing handshake (it would keep the buffers for its 30 s timeout). The client sees
 * the transport close and reconnects by itself; its join replays what it missed from the database.
 */
export function cutOff(connection: Connection): void {
  const conn = connection as unknown as EngineInternals;
  const ws = conn.transport?.name === 'websocket' ? conn.transport.socket : undefined;
  // Closes the engine socket now (socket.io sees 'forced close') and empties its write buffer.
  conn.close(true);
  // Frees what the WebSocket and its TCP socket still hold.
  ws?.terminate?.();
}

/**
 * Resolves true once the connection holds at most `bytes` its client has not read, false if it closed
 * first. Woken by the transport handing its last write to the network ('drain') and, since a
 * long-polling transport drains only when its client polls, checked again every few milliseconds.
 */
export async function drained(connection: Connection, bytes: number): Promise<boolean> {
  while (connection.readyState === 'open' && backlogBytes(connection) > bytes) {
    await new Promise<void>((resolve) => {
      const transport = connection.transport;
      const done = () => {
        clearTimeout(timer);
        transport.off('drain', done);
        connection.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, DRAIN_POLL_MS);
      transport.once('drain', done);
      connection.once('close', done);
    });
  }
  return connection.readyState === 'open';
}
