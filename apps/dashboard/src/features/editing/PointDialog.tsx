import { POINT_CATEGORIES, PointCreate, PointPatch, type Point, type PointCategory } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { CATEGORY_LABEL } from '../../shared/categories';
import { Modal } from '../modal/Modal';
import { Field, FormFooter } from './Field';
import { useRecordValues } from './use-record-values';
import { n, refreshAfterEdit, usePoints } from './use-lists';
import { useEditForm } from './use-edit-form';

interface Values {
  title: string;
  category: PointCategory | '';
  description: string;
}

const EMPTY: Values = { title: '', category: '', description: '' };
const valuesOf = (p: Point): Values => ({ title: p.title, category: p.category, description: p.description });

interface Props {
  slug: string;
  /** Open on this point; null: a new point. */
  pointId?: string | null;
  onClose: () => void;
}

/** Adds a point or edits one (title, category, description), with the version it was loaded at. */
export function PointDialog({ slug, pointId = null, onClose }: Props) {
  const ids = useId();
  const client = useQueryClient();
  const points = usePoints(slug);
  const form = useEditForm();
  const [selected, setSelected] = useState<string>(pointId ?? '');
  // The point as loaded into the form: its version is the expectedVersion of the save.
  const list = points.data ?? [];

  const { loaded, values, setValues, reload: takeFresh } = useRecordValues(list, selected, valuesOf, EMPTY);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    form.clearError(key);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const description = values.description.trim();
    const category = values.category || undefined;
    const saved = () => {
      refreshAfterEdit(client, slug, 'points');
      onClose();
    };
    if (loaded) {
      await form.submit(PointPatch, 'PATCH', `${n(slug)}/points/${loaded.id}`, { title: values.title, category, description, expectedVersion: loaded.version }, saved);
    } else {
      await form.submit(PointCreate, 'POST', `${n(slug)}/points`, { title: values.title, category, description: description || undefined }, saved);
    }
  };

  const reload = async () => {
    takeFresh((await points.refetch()).data);
    form.reset();
  };

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
        <FormFooter form={form} what="point" editing={loaded !== null} onReload={() => void reload()} onClose={onClose} />
      </form>
    </Modal>
  );
}
