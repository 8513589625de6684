import type { ConnectionState } from '@parley/live-client';
import './live.css';
import { useLive } from './LiveProvider';

const LABEL: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Connection state as a text label (not colour alone) and the number of viewers; announced politely. */
export function ConnectionIndicator() {
  const { state, viewers } = useLive();
  const shown: ConnectionState = state ?? 'offline';
  return (
    <p className={`connection connection--${shown}`} role="status" aria-live="polite" data-state={shown}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{LABEL[shown]}</span>
      {viewers !== null && shown === 'live' ? (
        <span className="connection__viewers">
          {' · '}
          {viewers} {viewers === 1 ? 'viewer' : 'viewers'}
        </span>
      ) : null}
    </p>
  );
}
