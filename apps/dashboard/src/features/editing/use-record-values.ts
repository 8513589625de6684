import { useState } from 'react';

/**
 * The edit dialogs' shared state: the record chosen in the picker (or none: a new one) and the form
 * values, loaded from the record once the list has it and emptied when "New" is chosen. `reload`
 * takes the record's fresh copy after a conflict (its edits are dropped, by design).
 */
export function useRecordValues<T extends { id: string }, V>(list: readonly T[], selected: string, valuesOf: (record: T) => V, empty: V) {
  const [loaded, setLoaded] = useState<T | null>(null);
  const [values, setValues] = useState<V>(empty);
  const current = list.find((r) => r.id === selected) ?? null;
  if (current && loaded?.id !== current.id) {
    setLoaded(current);
    setValues(valuesOf(current));
  }
  if (!selected && loaded) {
    setLoaded(null);
    setValues(empty);
  }
  const reload = (fresh: readonly T[] | undefined) => {
    const record = fresh?.find((r) => r.id === selected) ?? null;
    setLoaded(record);
    setValues(record ? valuesOf(record) : empty);
  };
  return { loaded, values, setValues, reload };
}
