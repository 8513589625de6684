import { useCallback, useRef, useState } from 'react';
import { toApiError } from '../../shared/api';
import { fileNameOf } from './export-links';

export type DownloadState =
  | { phase: 'idle' }
  | { phase: 'running'; label: string; received: number }
  | { phase: 'done'; label: string; fileName: string; size: number }
  | { phase: 'failed'; label: string; message: string };

/**
 * Downloads a file through fetch so the viewer sees progress (bytes received; long exports stream)
 * and a clear error from the API's error body, then hands the file to the browser.
 */
export function useDownload(token: string | null) {
  const [state, setState] = useState<DownloadState>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const start = useCallback(
    async (url: string, label: string, fallbackName: string) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setState({ phase: 'running', label, received: 0 });
      try {
        const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: controller.signal });
        if (!response.ok) throw toApiError(response.status, response.statusText, await response.text());
        const chunks: Uint8Array[] = [];
        let received = 0;
        const reader = response.body?.getReader();
        if (reader) {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            received += value.byteLength;
            setState({ phase: 'running', label, received });
          }
        } else {
          const buffer = new Uint8Array(await response.arrayBuffer());
          chunks.push(buffer);
          received = buffer.byteLength;
        }
        const fileName = fileNameOf(response.headers.get('content-disposition'), fallbackName);
        const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
        const href = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = href;
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
        setState({ phase: 'done', label, fileName, size: received });
      } catch (err) {
        if (controller.signal.aborted) {
          setState({ phase: 'idle' });
          return;
        }
        setState({ phase: 'failed', label, message: err instanceof Error ? err.message : String(err) });
      } finally {
        if (abort.current === controller) abort.current = null;
      }
    },
    [token],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { state, start, cancel };
}
