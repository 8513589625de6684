import type { Negotiation } from '@parley/contracts';
import { useId } from 'react';

interface Props {
  negotiations: readonly Negotiation[];
  selected: Negotiation | null;
  onSelect: (slug: string) => void;
}

export function NegotiationSwitcher({ negotiations, selected, onSelect }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Negotiation</label>
      <select
        id={id}
        value={selected?.slug ?? ''}
        disabled={negotiations.length === 0}
        onChange={(e) => onSelect(e.target.value)}
      >
        {negotiations.length === 0 && <option value="">No negotiations yet</option>}
        {negotiations.map((n) => (
          <option key={n.id} value={n.slug}>
            {n.title}
            {n.status !== 'active' ? ` (${n.status})` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
