import { LINEAGE_KINDS, POINT_CATEGORIES, PointCreate, PointPatch, type LineageKind, type Point, type PointCategory } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { CATEGORY_LABEL } from '../../shared/categories';
import { CarryStancesDialog } from '../lineage/CarryStancesDialog';
import { Modal } from '../modal/Modal';
import { Field, FormFooter } from './Field';
import { useRecordValues } from './use-record-values';
import { n, refreshAfterEdit, usePoints } from './use-lists';
import { useEditForm } from './use-edit-form';

interface Values {
  title: string;
  category: PointCategory | '';
  description: string;
  /** The derivedFrom parents' ids, and how the point derives from them (one kind for all). */
  parents: string[];
  lineageKind: LineageKind;
}

const EMPTY: Values = { title: '', category: '', description: '', parents: [], lineageKind: 'split' };
const valuesOf = (p: Point): Values => ({
  title: p.title,
  category: p.category,
  description: p.description,
  parents: p.derivedFrom.map((l) => l.pointId),
  lineageKind: p.derivedFrom[0]?.kind ?? 'split',
});

const LINEAGE_LABEL: Readonly<Record<LineageKind, string>> = { split: 'Split from', merge: 'Merged from', reworded: 'Reworded from' };

/** The derivedFrom a save sends: undefined when it is what the point already has (a new point: when it has parents). */
export function lineageToSend(values: Pick<Values, 'parents' | 'lineageKind'>, loaded: Point | null): Point['derivedFrom'] | undefined {
  const next = values.parents.map((pointId) => ({ pointId, kind: values.lineageKind }));
  if (!loaded) return next.length > 0 ? next : undefined;
  const same =
    next.length === loaded.derivedFrom.length && next.every((l) => loaded.derivedFrom.some((o) => o.pointId === l.pointId && o.kind === l.kind));
  return same ? undefined : next;
}

interface Props {
  slug: string;
  /** Open on this point; null: a new point. */
  pointId?: string | null;
  onClose: () => void;
}

/** Adds a point or edits one (title, category, description), with the version it was loaded at. */
export function PointDialog({ slug, pointId = null, onClose }: Props) {
  const ids = useId();
  // After a save that gave the point parents: the offer to carry their stances, in place of the form.
  const [carryFor, setCarryFor] = useState<{ id: string; code: string } | null>(null);
  const client = useQueryClient();
  const points = usePoints(slug);
  const form = useEditForm();
  const [selected, setSelected] = useState<string>(pointId ?? '');
  // The point as loaded into the form: its version is the expectedVersion of the save.
  const list = points.data ?? [];

  const { loaded, values, setValues, reload: takeFresh } = useRecordValues(list, selected, valuesOf, EMPTY);

  const toggleParent = (id: string, on: boolean) => setValues((v) => ({ ...v, parents: on ? [...v.parents, id] : v.parents.filter((p) => p !== id) }));

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    form.clearError(key);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const description = values.description.trim();
    const category = values.category || undefined;
    const derivedFrom = lineageToSend(values, loaded);
    const saved = (point: Point) => {
      refreshAfterEdit(client, slug, 'points');
      // New parents: offer to carry their current stances to the point.
      if (derivedFrom !== undefined && point.derivedFrom.length > 0) setCarryFor({ id: point.id, code: point.code });
      else onClose();
    };
    if (loaded) {
      await form.submit(PointPatch, 'PATCH', `${n(slug)}/points/${loaded.id}`, { title: values.title, category, description, derivedFrom, expectedVersion: loaded.version }, saved);
    } else {
      await form.submit(PointCreate, 'POST', `${n(slug)}/points`, { title: values.title, category, description: description || undefined, derivedFrom }, saved);
    }
  };

  const reload = async () => {
    takeFresh((await points.refetch()).data);
    form.reset();
  };

  if (carryFor) return <CarryStancesDialog slug={slug} point={carryFor} onClose={onClose} />;
  const others = list.filter((p) => p.id !== loaded?.id);

  return (
    <Modal title={loaded ? `Edit point ${loaded.code}` : 'New point'} onClose={onClose}>
      <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={form.busy}>
        <div className="form-row">
          <label htmlFor={`${ids}-which`}>Point</label>
          <select id={`${ids}-which`} value={selected} onChange={(e) => setSelected(e.target.value)} data-autofocus>
            <option value="">New point</option>
            {list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code} {p.title}
              </option>
            ))}
          </select>
        </div>
        <Field id={`${ids}-title`} label="Title" error={form.errors['title']}>
          {(props) => <input {...props} type="text" value={values.title} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <Field id={`${ids}-category`} label="Category" error={form.errors['category']}>
          {(props) => (
            <select {...props} value={values.category} onChange={(e) => set('category', e.target.value as PointCategory | '')}>
              <option value="">— choose —</option>
              {POINT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${ids}-description`} label="Description" error={form.errors['description']}>
          {(props) => <textarea {...props} rows={3} value={values.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <fieldset className="form-row point-lineage">
          <legend>Derived from (split, merge or rewording)</legend>
          <label htmlFor={`${ids}-kind`}>How</label>
          <select id={`${ids}-kind`} value={values.lineageKind} onChange={(e) => set('lineageKind', e.target.value as LineageKind)}>
            {LINEAGE_KINDS.map((k) => (
              <option key={k} value={k}>
                {LINEAGE_LABEL[k]}
              </option>
            ))}
          </select>
          <div className="point-lineage__parents" role="group" aria-label="Parent points">
            {others.map((p) => (
              <label key={p.id}>
                <input type="checkbox" checked={values.parents.includes(p.id)} onChange={(e) => toggleParent(p.id, e.target.checked)} /> {p.code} {p.title}
              </label>
            ))}
          </div>
          {form.errors['derivedFrom'] ? <span className="field-error">{form.errors['derivedFrom']}</span> : null}
        </fieldset>
        <FormFooter form={form} what="point" editing={loaded !== null} onReload={() => void reload()} onClose={onClose} />
      </form>
    </Modal>
  );
}
