import { NegotiationCreate, type Negotiation } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Modal } from '../modal/Modal';
import { Field } from './Field';
import { useEditForm } from './use-edit-form';

/** Creates a negotiation from scratch (admins); the dashboard then switches to it. */
export function NegotiationDialog({ onCreated, onClose }: { onCreated: (slug: string) => void; onClose: () => void }) {
  const ids = useId();
  const client = useQueryClient();
  const form = useEditForm();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [requireExpectedVersion, setRequireExpectedVersion] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    await form.submit<NegotiationCreate, Negotiation>(NegotiationCreate, 'POST', '/negotiations', { title, description: description.trim() || undefined, requireExpectedVersion }, (created) => {
      void client.invalidateQueries({ queryKey: ['negotiations'] });
      onCreated(created.slug);
      onClose();
    });
  };

  return (
    <Modal title="New negotiation" onClose={onClose}>
      <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={form.busy}>
        <Field id={`${ids}-title`} label="Title" error={form.errors['title']}>
          {(props) => (
            <input
              {...props}
              type="text"
              value={title}
              data-autofocus
              onChange={(e) => {
                setTitle(e.target.value);
                form.clearError('title');
              }}
            />
          )}
        </Field>
        <Field id={`${ids}-description`} label="Description" error={form.errors['description']}>
          {(props) => <textarea {...props} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <label className="edit-form__check">
          <input type="checkbox" checked={requireExpectedVersion} onChange={(e) => setRequireExpectedVersion(e.target.checked)} /> Every stance write must
          name the version it replaces (refuses overwrites made without seeing the latest stance; CSV stance imports are refused)
        </label>
        {form.formError ? (
          <p className="form-error" role="alert">
            {form.formError}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.busy}>
            {form.busy ? 'Creating…' : 'Create negotiation'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
