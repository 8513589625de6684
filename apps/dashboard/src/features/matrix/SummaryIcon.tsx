import type { SummaryKind } from './summary';

/**
 * Inline SVG icons for the row summary. Not emoji or dingbat characters: those depend on a font the
 * viewer's machine may lack (⛔ showed as an empty box on a stock Debian Chromium). Decorative: the
 * summary's text says the same.
 */
export function SummaryIcon({ kind }: { kind: SummaryKind }) {
  const paths = (() => {
    switch (kind) {
      case 'agreed':
        return <path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />;
      case 'blocked':
        return (
          <>
            <circle cx="8" cy="8" r="7" fill="currentColor" />
            <rect x="3.5" y="6.6" width="9" height="2.8" rx="0.6" fill="#ffffff" />
          </>
        );
      case 'spread':
        return <path d="M1.8 8h12.4M5 4.8L1.8 8 5 11.2M11 4.8L14.2 8 11 11.2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />;
      case 'none':
        return null;
    }
  })();
  if (!paths) return null;
  return (
    <svg className="summary-icon" data-icon={kind} viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
      {paths}
    </svg>
  );
}
