import type { ChangeEntry, MatrixView, ReviewEntry } from '@parley/contracts';
import { LiveClient, type ConnectionState } from '@parley/live-client';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { getJson } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';
import { applyChange, replaceSnapshot } from './apply-change';
import { CellFlashContext, CellFlashStore } from './flash-store';
import { isCurrentMatrixKey, isMatrixKeyOf } from './matrix-cache';

export interface LiveState {
  /** null: no live connection is wanted (no negotiation, or before the first matrix snapshot). */
  state: ConnectionState | null;
  viewers: number | null;
  /** Subscribe to every change applied, in order (e.g. for an activity feed). */
  onChange: (listener: (entry: ChangeEntry) => void) => () => void;
  /**
   * Staff only (analysts and admins): subscribe to the review stream — each proposal event in order,
   * and each (re)join of the stream (`first`: load the proposals now; later ones replayed what was missed).
   */
  onReview: (listener: ReviewListener) => () => void;
}

export type ReviewListener = (event: { kind: 'proposal'; entry: ReviewEntry } | { kind: 'joined'; first: boolean }) => void;

const LiveContext = createContext<LiveState>({ state: null, viewers: null, onChange: () => () => undefined, onReview: () => () => undefined });

export function useLive(): LiveState {
  return useContext(LiveContext);
}

/** Options a test can replace: the client factory (no socket in jsdom). */
export type CreateLiveClient = (options: ConstructorParameters<typeof LiveClient>[0]) => Pick<
  LiveClient,
  'on' | 'start' | 'resetTo' | 'close' | 'lastSeq'
>;

const defaultCreate: CreateLiveClient = (options) => new LiveClient(options);

/** The seq of the snapshot held for `slug`: the "now" matrix's if loaded, else any matrix's. */
function snapshotSeq(client: QueryClient, slug: string): number | null {
  let any: number | null = null;
  for (const q of client.getQueryCache().findAll({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) })) {
    const view = q.state.data as MatrixView | undefined;
    if (!view) continue;
    if (isCurrentMatrixKey(q.queryKey, slug)) return view.seq;
    any ??= view.seq;
  }
  return any;
}

function useHasSnapshot(client: QueryClient, slug: string | null): boolean {
  return useSyncExternalStore(
    (onStoreChange) => client.getQueryCache().subscribe(onStoreChange),
    () => slug !== null && snapshotSeq(client, slug) !== null,
    () => false,
  );
}

interface Props {
  /** Slug of the negotiation on screen; null: none. */
  slug: string | null;
  children: ReactNode;
  createClient?: CreateLiveClient;
}

/**
 * Keeps one live connection for the negotiation on screen, starting from the matrix snapshot's seq,
 * and applies every change to the query cache. Reconnects with the last applied seq when the token changes.
 */
export function LiveProvider({ slug, children, createClient = defaultCreate }: Props) {
  const queryClient = useQueryClient();
  // The session's token, or a share link's (the socket takes either as its handshake token).
  const { credential, analyst } = useAuth();
  const token = credential ?? undefined;
  const ready = useHasSnapshot(queryClient, slug);
  const [state, setState] = useState<ConnectionState | null>(null);
  const [viewers, setViewers] = useState<number | null>(null);
  const flash = useMemo(() => new CellFlashStore(), []);
  const listeners = useRef(new Set<(entry: ChangeEntry) => void>());
  const reviewListeners = useRef(new Set<ReviewListener>());
  const lastSeq = useRef<{ slug: string; seq: number } | null>(null);

  useEffect(() => {
    if (!slug || !ready) return;
    const held = lastSeq.current?.slug === slug ? lastSeq.current.seq : null;
    const sinceSeq = held ?? snapshotSeq(queryClient, slug) ?? 0;
    // Staff also join the review stream: proposal events, which viewers' sockets never receive.
    const live = createClient({ url: '', negotiationId: slug, sinceSeq, token, review: analyst });
    const offs = [
      live.on('state', setState),
      live.on('presence', (notice) => setViewers(notice.viewers)),
      live.on('change', (entry) => {
        lastSeq.current = { slug, seq: entry.seq };
        applyChange(queryClient, slug, entry, flash);
        for (const listener of listeners.current) listener(entry);
      }),
      live.on('proposal', (entry) => {
        for (const listener of reviewListeners.current) listener({ kind: 'proposal', entry });
      }),
      live.on('reviewJoined', (_seq, first) => {
        for (const listener of reviewListeners.current) listener({ kind: 'joined', first });
      }),
      live.on('resync', () => {
        getJson<MatrixView>(`/negotiations/${encodeURIComponent(slug)}/matrix`)
          .then((view) => {
            replaceSnapshot(queryClient, slug, view);
            lastSeq.current = { slug, seq: view.seq };
            live.resetTo(view.seq);
          })
          .catch(() => void queryClient.invalidateQueries({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) }));
      }),
    ];
    setState('connecting');
    live.start();
    return () => {
      lastSeq.current = { slug, seq: Math.max(live.lastSeq, lastSeq.current?.slug === slug ? lastSeq.current.seq : 0) };
      for (const off of offs) off();
      void live.close();
      setViewers(null);
      setState(null);
      flash.clear();
    };
  }, [slug, ready, token, analyst, queryClient, createClient, flash]);

  const value = useMemo<LiveState>(
    () => ({
      state,
      viewers,
      onChange: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      onReview: (listener) => {
        reviewListeners.current.add(listener);
        return () => reviewListeners.current.delete(listener);
      },
    }),
    [state, viewers],
  );
  return (
    <LiveContext.Provider value={value}>
      <CellFlashContext.Provider value={flash}>{children}</CellFlashContext.Provider>
    </LiveContext.Provider>
  );
}
