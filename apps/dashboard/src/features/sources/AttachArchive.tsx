import type { Source, SourceDetail } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { asApiError, putBody } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';
import { archivePath, sourcesKey } from './use-sources';

/** What a chosen file is sent as, by its type or, when the browser gives none, its extension. */
export function contentTypeOf(file: { name: string; type: string }): string | null {
  if (['text/plain', 'text/html', 'application/pdf'].includes(file.type)) return file.type === 'text/plain' ? 'text/plain; charset=utf-8' : file.type;
  const ext = file.name.toLowerCase().split('.').pop();
  if (ext === 'txt') return 'text/plain; charset=utf-8';
  if (ext === 'html' || ext === 'htm') return 'text/html';
  if (ext === 'pdf') return 'application/pdf';
  return null;
}

interface Props {
  slug: string;
  source: Source;
}

/** An analyst attaches the text of a source: pasted, or a text, HTML or PDF file. A new copy is shown instead of the earlier one. */
export function AttachArchive({ slug, source }: Props) {
  const ids = useId();
  const queryClient = useQueryClient();
  const { session, expire } = useAuth();
  const [mode, setMode] = useState<'paste' | 'file'>('paste');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    let body: string | Blob;
    let type: string;
    if (mode === 'paste') {
      if (text.trim() === '') return setError('Paste the text of the source first.');
      body = text;
      type = 'text/plain; charset=utf-8';
    } else {
      if (!file) return setError('Choose a file first.');
      const chosen = contentTypeOf(file);
      if (!chosen) return setError('Choose a text (.txt), HTML (.html) or PDF (.pdf) file.');
      body = file;
      type = chosen;
    }
    setBusy(true);
    try {
      const updated = await putBody<Source>(archivePath(slug, source.id), body, type, { token: session?.token });
      queryClient.setQueryData<Map<string, SourceDetail>>(sourcesKey(slug), (old) => (old ? new Map(old).set(updated.id, { ...updated, citedBy: old.get(updated.id)?.citedBy ?? 0 }) : old));
      void queryClient.invalidateQueries({ queryKey: sourcesKey(slug) });
      setDone(`Archived: ${updated.archive?.size ?? 0} bytes, ${updated.archive?.textLength ?? 0} characters of text.`);
      setText('');
      setFile(null);
    } catch (err) {
      const refused = asApiError(err);
      if (refused.status === 401) {
        expire();
        setError('Your session expired. Sign in again; nothing was archived.');
      } else {
        setError(refused.message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="attach-archive" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={busy}>
      <fieldset>
        <legend>{source.archive ? 'Attach a new copy (the earlier one is kept)' : 'Attach a copy of the source'}</legend>
        <label>
          <input type="radio" name={`${ids}-mode`} checked={mode === 'paste'} onChange={() => setMode('paste')} /> Paste text
        </label>{' '}
        <label>
          <input type="radio" name={`${ids}-mode`} checked={mode === 'file'} onChange={() => setMode('file')} /> Choose a file (text, HTML or PDF)
        </label>
        {mode === 'paste' ? (
          <p>
            <label htmlFor={`${ids}-text`}>Text of the source</label>
            <textarea id={`${ids}-text`} value={text} onChange={(e) => setText(e.target.value)} />
          </p>
        ) : (
          <p>
            <label htmlFor={`${ids}-file`}>File</label>{' '}
            <input id={`${ids}-file`} type="file" accept=".txt,.html,.htm,.pdf,text/plain,text/html,application/pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </p>
        )}
      </fieldset>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {done ? <p role="status">{done}</p> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Archiving…' : 'Archive'}
      </button>
    </form>
  );
}
