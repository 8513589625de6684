import { MILESTONE_KINDS, MilestoneCreate, MilestonePatch, type Milestone, type MilestoneKind } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Modal } from '../modal/Modal';
import { useMilestones } from '../trends/use-trends';
import { Field, FormFooter } from './Field';
import { useRecordValues } from './use-record-values';
import { n, refreshAfterEdit } from './use-lists';
import { useEditForm } from './use-edit-form';

interface Values {
  title: string;
  kind: MilestoneKind | '';
  startsAt: string;
  endsAt: string;
}

const EMPTY: Values = { title: '', kind: '', startsAt: '', endsAt: '' };
const valuesOf = (m: Milestone): Values => ({ title: m.title, kind: m.kind, startsAt: m.startsAt.slice(0, 10), endsAt: m.endsAt?.slice(0, 10) ?? '' });

/** Adds a milestone (meeting, deadline, leak…) or edits one: title, kind, start and optional end day. */
export function MilestoneDialog({ slug, onClose }: { slug: string; onClose: () => void }) {
  const ids = useId();
  const client = useQueryClient();
  const milestones = useMilestones(slug);
  const form = useEditForm();
  const [selected, setSelected] = useState('');
  const list = [...(milestones.data ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const { loaded, values, setValues, reload: takeFresh } = useRecordValues(list, selected, valuesOf, EMPTY);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    form.clearError(key);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { title: values.title, kind: values.kind || undefined, startsAt: values.startsAt };
    const saved = () => {
      refreshAfterEdit(client, slug, 'milestones');
      onClose();
    };
    if (loaded) {
      await form.submit(MilestonePatch, 'PATCH', `${n(slug)}/milestones/${loaded.id}`, { ...body, endsAt: values.endsAt || null, expectedVersion: loaded.version }, saved);
    } else {
      await form.submit(MilestoneCreate, 'POST', `${n(slug)}/milestones`, { ...body, endsAt: values.endsAt || undefined }, saved);
    }
  };

  const reload = async () => {
    takeFresh((await milestones.refetch()).data);
    form.reset();
  };

  return (
    <Modal title={loaded ? `Edit milestone: ${loaded.title}` : 'New milestone'} onClose={onClose}>
      <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={form.busy}>
        <div className="form-row">
          <label htmlFor={`${ids}-which`}>Milestone</label>
          <select id={`${ids}-which`} value={selected} onChange={(e) => setSelected(e.target.value)} data-autofocus>
            <option value="">New milestone</option>
            {list.map((m) => (
              <option key={m.id} value={m.id}>
                {m.startsAt.slice(0, 10)} {m.title}
              </option>
            ))}
          </select>
        </div>
        <Field id={`${ids}-title`} label="Title" error={form.errors['title']}>
          {(props) => <input {...props} type="text" value={values.title} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <Field id={`${ids}-kind`} label="Kind" error={form.errors['kind']}>
          {(props) => (
            <select {...props} value={values.kind} onChange={(e) => set('kind', e.target.value as MilestoneKind | '')}>
              <option value="">— choose —</option>
              {MILESTONE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-grid">
          <Field id={`${ids}-starts`} label="Starts" error={form.errors['startsAt']} hint="day, UTC">
            {(props) => <input {...props} type="date" value={values.startsAt} onChange={(e) => set('startsAt', e.target.value)} />}
          </Field>
          <Field id={`${ids}-ends`} label="Ends" error={form.errors['endsAt']} hint="optional">
            {(props) => <input {...props} type="date" value={values.endsAt} onChange={(e) => set('endsAt', e.target.value)} />}
          </Field>
        </div>
        <FormFooter form={form} what="milestone" editing={loaded !== null} onReload={() => void reload()} onClose={onClose} />
      </form>
    </Modal>
  );
}
