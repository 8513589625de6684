import type { Source } from '@parley/contracts';
import { useState, type MouseEvent } from 'react';
import { archivePath } from './use-sources';
import { openArchive } from './open-archive';
import './sources.css';

interface Props {
  slug: string;
  /** The cited source as the sources list has it; undefined while it loads. */
  source: Source | undefined;
  /** Opens the source's panel (every stance citing it; attaching a copy). */
  onShowSource?: () => void;
}

/** Whether a source has an archived copy: "archived" with a link that opens it, or "no archived copy". */
export function ArchiveStatus({ slug, source, onShowSource }: Props) {
  const [error, setError] = useState<string | null>(null);
  if (!source) return null;
  const path = archivePath(slug, source.id);
  const open = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    setError(null);
    openArchive(path).catch((err: unknown) => setError(`Could not open the stored copy: ${err instanceof Error ? err.message : String(err)}`));
  };
  return (
    <span className="archive-status">
      {source.archive ? (
        <>
          <span className="badge archive-status__yes">archived</span>{' '}
          <a href={`/api${path}`} target="_blank" rel="noopener noreferrer" onClick={open} title={`Archived ${source.archive.archivedAt.slice(0, 10)}, SHA-256 ${source.archive.sha256.slice(0, 12)}…`}>
            Open stored copy
          </a>
        </>
      ) : (
        <span className="archive-status__no">no archived copy</span>
      )}
      {onShowSource ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onShowSource}>
            Every stance citing it
          </button>
        </>
      ) : null}
      {error ? (
        <span className="form-error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </span>
  );
}
