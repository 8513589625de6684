import { AsOfInput } from '../features/as-of/AsOfInput';
import { useAuth } from '../features/auth/AuthProvider';
import { SignIn, SignInScreen } from '../features/auth/SignIn';
import { EditMenu } from '../features/editing/EditMenu';
import { ExportMenu } from '../features/exports/ExportMenu';
import { ConnectionIndicator } from '../features/live/ConnectionIndicator';
import { NegotiationSwitcher } from '../features/negotiations/NegotiationSwitcher';
import { pickNegotiation, useNegotiations } from '../features/negotiations/use-negotiations';
import { ReviewBadge } from '../features/review/ReviewBadge';
import { SearchBox } from '../features/search/SearchBox';
import { isUnauthenticated } from '../shared/api';
import { ErrorNotice, Loading } from '../shared/QueryState';
import { TimeBar } from '../features/time/TimeBar';
import { useScreenMode } from '../features/views/use-screen-mode';
import { ViewOutlet } from '../features/views/ViewOutlet';
import { ViewSwitcher } from '../features/views/ViewSwitcher';
import { useUrlParams } from '../shared/url-state';

export function App() {
  const [params, setParams] = useUrlParams();
  const { shareView } = useAuth();
  const negotiations = useNegotiations();
  const list = negotiations.data ?? [];
  const selected = pickNegotiation(list, params.n);
  const unknownSlug = negotiations.isSuccess && params.n !== null && selected?.slug !== params.n;
  useScreenMode(params.screen);

  // VIEW_ACCESS=private and no credential that works: a sign-in page, not an error.
  if (negotiations.isError && isUnauthenticated(negotiations.error)) {
    return (
      <>
        <header className="app-header">
          <h1>Parley</h1>
        </header>
        <main id="main" tabIndex={-1}>
          <SignInScreen />
        </main>
      </>
    );
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the matrix
      </a>
      <header className="app-header">
        <h1>Parley</h1>
        <div className="controls">
          {/* A share link opens one negotiation: nothing to switch to. */}
          {shareView ? null : <NegotiationSwitcher negotiations={list} selected={selected} onSelect={(n) => setParams({ n, point: null, party: null, source: null, milestone: null, docs: null })} />}
          <AsOfInput value={params.asOf} onChange={(asOf) => setParams({ asOf }, { replace: true })} />
        </div>
        {selected ? <SearchBox key={`search-${selected.slug}`} slug={selected.slug} onOpen={(patch) => setParams(patch)} /> : null}
        <ViewSwitcher params={params} onChange={(patch) => setParams(patch)} />
        <ConnectionIndicator />
        {shareView ? null : <ReviewBadge slug={selected?.slug ?? null} onOpen={() => setParams({ view: 'review', milestone: null })} />}
        <nav aria-label="Links">
          <a href="/api/docs">API docs</a>
        </nav>
        {selected ? <ExportMenu key={`export-${selected.slug}`} slug={selected.slug} params={params} /> : null}
        <SignIn />
        {shareView ? null : <EditMenu slug={selected?.slug ?? null} onCreatedNegotiation={(n) => setParams({ n, point: null, party: null, source: null, milestone: null, docs: null })} />}
      </header>
      <main id="main" tabIndex={-1}>
        {negotiations.isPending ? (
          <Loading what="negotiations" />
        ) : negotiations.isError ? (
          <ErrorNotice error={negotiations.error} what="the negotiations" onRetry={() => void negotiations.refetch()} />
        ) : selected === null ? (
          <p className="empty-state">There are no negotiations yet. Create one through the API, or sign in as an admin and choose “New negotiation”.</p>
        ) : (
          <>
            {unknownSlug ? (
              <p className="notice" role="status">
                No negotiation “{params.n}”; showing “{selected.title}”.
              </p>
            ) : null}
            <h2 className={shareView ? 'negotiation-title negotiation-title--shown' : 'negotiation-title'}>{selected.title}</h2>
            <TimeBar key={selected.slug} slug={selected.slug} params={params} setParams={setParams} />
            <ViewOutlet slug={selected.slug} params={params} setParams={setParams} />
          </>
        )}
      </main>
    </>
  );
}
