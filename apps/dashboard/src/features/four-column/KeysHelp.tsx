import { Modal } from '../modal/Modal';

const KEYS: readonly [keys: string[], what: string][] = [
  [['↓', 'j'], 'next point (row)'],
  [['↑', 'k'], 'previous point'],
  [['→', 'l'], 'next document (column)'],
  [['←', 'h'], 'previous document'],
  [['Home', 'End'], 'first / last column of the row'],
  [['Ctrl+Home', 'Ctrl+End'], 'first / last cell'],
  [['PageDown', 'PageUp'], 'ten rows down / up'],
  [['Enter'], "open the point's drawer (its stances and texts)"],
  [['?'], 'this list'],
  [['Esc'], 'close this list or the drawer'],
];

/** The four-column view's keys, opened with `?`. */
export function KeysHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keys of the four-column view" onClose={onClose}>
      <dl className="four-col__keys">
        {KEYS.map(([keys, what]) => (
          <div key={what}>
            <dt>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? ' or ' : null}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
