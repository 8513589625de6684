import type { ReactNode } from 'react';
import { useUrlParams } from '../../shared/url-state';
import { pickNegotiation, useNegotiations } from '../negotiations/use-negotiations';
import { LiveProvider } from './LiveProvider';

/** A live connection for the negotiation the URL shows (the same choice as the App's). */
export function LiveForUrl({ children }: { children: ReactNode }) {
  const [params] = useUrlParams();
  const negotiations = useNegotiations();
  const slug = pickNegotiation(negotiations.data ?? [], params.n)?.slug ?? null;
  return <LiveProvider slug={slug}>{children}</LiveProvider>;
}
