import { useCallback, useRef, useState } from 'react';
import { download } from '../../shared/api';
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
    async (path: string, label: string, fallbackName: string) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setState({ phase: 'running', label, received: 0 });
      try {
        const file = await download(path, token, controller.signal, (received) => setState({ phase: 'running', label, received }));
        const fileName = fileNameOf(file.disposition, fallbackName);
        const href = URL.createObjectURL(file.blob);
        const a = document.createElement('a');
        a.href = href;
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
        setState({ phase: 'done', label, fileName, size: file.size });
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
