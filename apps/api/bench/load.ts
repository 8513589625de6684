/** Runs autocannon in its own process (so the load generator never shares the server's event loop). */
import autocannon from 'autocannon';

interface LoadRequest {
  url: string;
  connections: number;
  duration: number;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

process.on('message', (m: LoadRequest) => {
  autocannon({ url: m.url, connections: m.connections, duration: m.duration, method: m.method, headers: m.headers, body: m.body }, (err, result) => {
    if (err) {
      process.send?.({ error: String(err) });
      return;
    }
    process.send?.({
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      seconds: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
    });
  });
});
