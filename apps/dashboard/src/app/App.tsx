import { AsOfInput } from '../features/as-of/AsOfInput';
import { MatrixPanel } from '../features/matrix/MatrixPanel';
import { NegotiationSwitcher } from '../features/negotiations/NegotiationSwitcher';
import { pickNegotiation, useNegotiations } from '../features/negotiations/use-negotiations';
import { ErrorNotice, Loading } from './QueryState';
import { useUrlParams } from './url-state';

export function App() {
  const [params, setParams] = useUrlParams();
  const negotiations = useNegotiations();
  const list = negotiations.data ?? [];
  const selected = pickNegotiation(list, params.n);
  const unknownSlug = negotiations.isSuccess && params.n !== null && selected?.slug !== params.n;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the matrix
      </a>
      <header className="app-header">
        <h1>Parley</h1>
        <div className="controls">
          <NegotiationSwitcher negotiations={list} selected={selected} onSelect={(n) => setParams({ n })} />
          <AsOfInput value={params.asOf} onChange={(asOf) => setParams({ asOf }, { replace: true })} />
        </div>
        <nav aria-label="Links">
          <a href="/api/docs">API docs</a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {negotiations.isPending ? (
          <Loading what="negotiations" />
        ) : negotiations.isError ? (
          <ErrorNotice error={negotiations.error} what="the negotiations" onRetry={() => void negotiations.refetch()} />
        ) : selected === null ? (
          <p className="empty-state">There are no negotiations yet. Create one through the API.</p>
        ) : (
          <>
            {unknownSlug ? (
              <p className="notice" role="status">
                No negotiation “{params.n}”; showing “{selected.title}”.
              </p>
            ) : null}
            <h2 className="negotiation-title">{selected.title}</h2>
            <MatrixPanel slug={selected.slug} asOf={params.asOf} />
          </>
        )}
      </main>
    </>
  );
}
