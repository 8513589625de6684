import type { SnippetPart } from '@parley/contracts';

/** A snippet with its matches in <mark>: every part is text, never HTML. */
export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <span className="search-snippet">
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
