import { patchSearch, type DashboardParams, type ViewName } from '../../shared/url-state';
import { useAuth } from '../auth/AuthProvider';

const TABS: readonly { view: ViewName; label: string }[] = [
  { view: 'matrix', label: 'Matrix' },
  { view: 'columns', label: 'Four columns' },
  { view: 'trends', label: 'Trends' },
  { view: 'activity', label: 'Activity' },
  { view: 'party', label: 'Party' },
  { view: 'sources', label: 'Sources' },
  // Analysts and admins only (review before publish).
  { view: 'review', label: 'Review' },
];

interface Props {
  params: DashboardParams;
  onChange: (patch: Partial<DashboardParams>) => void;
}

/** Links between the screens: real URLs (they can be shared or opened in a new tab). */
export function ViewSwitcher({ params, onChange }: Props) {
  const { analyst } = useAuth();
  // Links keep the other parameters; App re-renders on every URL change, so this stays current.
  const search = window.location.search;
  const follow = (patch: Partial<DashboardParams>) => (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onChange(patch);
  };
  if (params.screen === 'big') {
    return (
      <nav aria-label="Views" className="views views--big">
        <a href={patchSearch(search, { screen: null }) || '?'} onClick={follow({ screen: null })}>
          Exit big screen
        </a>
      </nav>
    );
  }
  return (
    <nav aria-label="Views" className="views">
      <ul>
        {TABS.filter((t) => t.view !== 'review' || analyst).map((t) => (
          <li key={t.view}>
            <a
              href={patchSearch(search, { view: t.view, milestone: null }) || '?'}
              aria-current={params.view === t.view ? 'page' : undefined}
              onClick={follow({ view: t.view, milestone: null })}
            >
              {t.label}
            </a>
          </li>
        ))}
        <li>
          <a href={patchSearch(search, { screen: 'big', view: 'matrix', point: null })} onClick={follow({ screen: 'big', view: 'matrix', point: null })}>
            Big screen
          </a>
        </li>
      </ul>
    </nav>
  );
}
