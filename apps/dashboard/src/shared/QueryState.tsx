import { ApiError } from './api';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError && error.code ? ` (${error.code})` : '';
  return (
    <div className="error" role="alert">
      <p>
        <strong>Could not load {what}:</strong> {message}
        {code}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
