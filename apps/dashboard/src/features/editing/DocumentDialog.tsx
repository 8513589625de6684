import { DocumentCreate, DocumentPatch, type PlanDocument } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useDocuments } from '../documents/use-documents';
import { Modal } from '../modal/Modal';
import { Field, FormFooter } from './Field';
import { useRecordValues } from './use-record-values';
import { n, refreshAfterEdit, usePoints } from './use-lists';
import { useEditForm } from './use-edit-form';

interface ProvisionValues {
  /** Stable key for React while rows are added and removed. */
  key: number;
  pointId: string;
  number: string;
  text: string;
}

interface Values {
  title: string;
  publishedAt: string;
  provisions: ProvisionValues[];
}

let nextKey = 1;
const EMPTY: Values = { title: '', publishedAt: '', provisions: [] };
const valuesOf = (d: PlanDocument): Values => ({
  title: d.title,
  publishedAt: d.publishedAt.slice(0, 10),
  provisions: d.provisions.map((p) => ({ key: nextKey++, ...p })),
});

/** Adds a plan document or edits one: title, publication day, and its provisions (point, number, text). */
export function DocumentDialog({ slug, onClose }: { slug: string; onClose: () => void }) {
  const ids = useId();
  const client = useQueryClient();
  const documents = useDocuments(slug);
  const points = usePoints(slug);
  const form = useEditForm();
  const [selected, setSelected] = useState('');
  const list = documents.data ?? [];

  const { loaded, values, setValues, reload: takeFresh } = useRecordValues(list, selected, valuesOf, EMPTY);

  const set = <K extends 'title' | 'publishedAt'>(key: K, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    form.clearError(key);
  };
  const setProvision = (i: number, patch: Partial<ProvisionValues>) => {
    setValues((v) => ({ ...v, provisions: v.provisions.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
    for (const k of Object.keys(patch)) form.clearError(`provisions.${i}.${k}`);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const provisions = values.provisions.map(({ pointId, number, text }) => ({ pointId, number, text }));
    const body = { title: values.title, publishedAt: values.publishedAt, provisions };
    const saved = () => {
      refreshAfterEdit(client, slug, 'documents');
      onClose();
    };
    if (loaded) await form.submit(DocumentPatch, 'PATCH', `${n(slug)}/documents/${loaded.id}`, { ...body, expectedVersion: loaded.version }, saved);
    else await form.submit(DocumentCreate, 'POST', `${n(slug)}/documents`, body, saved);
  };

  const reload = async () => {
    takeFresh((await documents.refetch()).data);
    form.reset();
  };

  return (
    <Modal title={loaded ? `Edit document: ${loaded.title}` : 'New document'} onClose={onClose} className="modal--wide">
      <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={form.busy}>
        <div className="form-row">
          <label htmlFor={`${ids}-which`}>Document</label>
          <select id={`${ids}-which`} value={selected} onChange={(e) => setSelected(e.target.value)} data-autofocus>
            <option value="">New document</option>
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title} ({d.publishedAt.slice(0, 10)})
              </option>
            ))}
          </select>
        </div>
        <div className="form-grid">
          <Field id={`${ids}-title`} label="Title" error={form.errors['title']}>
            {(props) => <input {...props} type="text" value={values.title} onChange={(e) => set('title', e.target.value)} />}
          </Field>
          <Field id={`${ids}-published`} label="Published" error={form.errors['publishedAt']} hint="day, UTC">
            {(props) => <input {...props} type="date" value={values.publishedAt} onChange={(e) => set('publishedAt', e.target.value)} />}
          </Field>
        </div>
        <fieldset className="provisions-edit">
          <legend>Provisions</legend>
          {values.provisions.length === 0 ? <p className="hint">No provisions yet.</p> : null}
          <ol>
            {values.provisions.map((p, i) => (
              <li key={p.key} className="provision-edit">
                <Field id={`${ids}-p${p.key}-point`} label={`Point of provision ${i + 1}`} error={form.errors[`provisions.${i}.pointId`]}>
                  {(props) => (
                    <select {...props} value={p.pointId} onChange={(e) => setProvision(i, { pointId: e.target.value })}>
                      <option value="">— choose —</option>
                      {(points.data ?? []).map((pt) => (
                        <option key={pt.id} value={pt.id}>
                          {pt.code} {pt.title}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id={`${ids}-p${p.key}-number`} label="Number" error={form.errors[`provisions.${i}.number`]}>
                  {(props) => <input {...props} type="text" size={5} value={p.number} onChange={(e) => setProvision(i, { number: e.target.value })} />}
                </Field>
                <Field id={`${ids}-p${p.key}-text`} label="Text" error={form.errors[`provisions.${i}.text`]}>
                  {(props) => <textarea {...props} rows={2} value={p.text} onChange={(e) => setProvision(i, { text: e.target.value })} />}
                </Field>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setValues((v) => ({ ...v, provisions: v.provisions.filter((_, j) => j !== i) }))}
                >
                  Remove provision {i + 1}
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() =>
              setValues((v) => ({ ...v, provisions: [...v.provisions, { key: nextKey++, pointId: '', number: String(v.provisions.length + 1), text: '' }] }))
            }
          >
            Add provision
          </button>
        </fieldset>
        <FormFooter form={form} what="document" editing={loaded !== null} onReload={() => void reload()} onClose={onClose} />
      </form>
    </Modal>
  );
}
