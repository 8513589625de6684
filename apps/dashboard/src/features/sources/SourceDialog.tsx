import { SOURCE_KIND_LABEL, SOURCE_KINDS, SourcePatch, type Source, type SourceDetail, type SourceKind } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Field, FormFooter } from '../editing/Field';
import { useEditForm } from '../editing/use-edit-form';
import { Modal } from '../modal/Modal';
import { sourceName } from './source-name';
import { sourcePath, sourcesKey, useSources } from './use-sources';

interface Values {
  kind: SourceKind;
  outlet: string;
  title: string;
  url: string;
  publishedAt: string;
  language: string;
  description: string;
}

const valuesOf = (s: Source): Values => ({
  kind: s.kind,
  outlet: s.outlet ?? '',
  title: s.title ?? '',
  url: s.url ?? '',
  publishedAt: s.publishedAt ? s.publishedAt.slice(0, 10) : '',
  language: s.language ?? '',
  description: s.description ?? '',
});

/** An emptied field clears it (null); the rest are sent as typed, so the shared schema checks them. */
const orNull = (v: string) => (v.trim() === '' ? null : v);

/** The PATCH body: every field as the form has it now, with the version the form was loaded at. */
export function patchOf(values: Values, version: number): Record<string, unknown> {
  return {
    kind: values.kind,
    outlet: orNull(values.outlet),
    title: orNull(values.title),
    url: orNull(values.url),
    publishedAt: orNull(values.publishedAt),
    language: orNull(values.language),
    description: orNull(values.description),
    expectedVersion: version,
  };
}

interface Props {
  slug: string;
  source: Source;
  onClose: () => void;
}

/**
 * An analyst corrects a source (PATCH …/sources/:id with the version it was loaded at): every stance
 * citing it shows the change. Validation errors show at their fields; a 409 offers to reload.
 */
export function SourceDialog({ slug, source, onClose }: Props) {
  const ids = useId();
  const client = useQueryClient();
  const sources = useSources(slug);
  const form = useEditForm();
  const [loaded, setLoaded] = useState<Source>(source);
  const [values, setValues] = useState<Values>(() => valuesOf(source));

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    form.clearError(key);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    await form.submit(SourcePatch, 'PATCH', sourcePath(slug, loaded.id), patchOf(values, loaded.version), (saved: Source) => {
      client.setQueryData<Map<string, SourceDetail>>(sourcesKey(slug), (old) => (old ? new Map(old).set(saved.id, { ...saved, citedBy: old.get(saved.id)?.citedBy ?? 0 }) : old));
      // Stances show their source from the record: the matrix, histories and panels reload.
      void client.invalidateQueries({ predicate: (q) => q.queryKey[1] === slug });
      onClose();
    });
  };

  const reload = async () => {
    const fresh = (await sources.refetch()).data?.get(loaded.id);
    if (fresh) {
      setLoaded(fresh);
      setValues(valuesOf(fresh));
    }
    form.reset();
  };

  // A problem with the source as a whole ("would name nothing"), not one of its fields.
  const others = Object.entries(form.errors).flatMap(([k, v]) => (v && k !== 'form' && !(k in values) ? [k === 'source' ? v : `${k}: ${v}`] : []));

  const text = (key: Exclude<keyof Values, 'kind' | 'description'>, label: string, type: 'text' | 'url' | 'date' = 'text', hint?: string) => (
    <Field id={`${ids}-${key}`} label={label} error={form.errors[key]} hint={hint}>
      {(props) => <input {...props} type={type} value={values[key]} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );

  return (
    <Modal title={`Edit source: ${sourceName(loaded)}`} onClose={onClose} className="modal--wide">
      <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={form.busy}>
        <p className="hint">Every stance citing this source shows the correction. Clear a field to remove it; a source keeps at least a url, an outlet, a headline, a description or a date.</p>
        <div className="form-grid">
          <Field id={`${ids}-kind`} label="Kind" error={form.errors['kind']}>
            {(props) => (
              <select {...props} value={values.kind} onChange={(e) => set('kind', e.target.value as SourceKind)} data-autofocus>
                {SOURCE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {SOURCE_KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('outlet', 'Outlet')}
          {text('title', 'Headline')}
          {text('url', 'URL', 'url')}
          {text('publishedAt', 'Publication date', 'date')}
          {text('language', 'Language', 'text', 'A BCP-47 tag: en, ru, uk, pt-BR')}
        </div>
        <Field id={`${ids}-description`} label="Description" error={form.errors['description']} hint="What the source is when it has no headline, e.g. the speaker and the venue">
          {(props) => <textarea {...props} rows={3} value={values.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        {others.length > 0 ? (
          <p className="form-error" role="alert">
            {others.join('; ')}
          </p>
        ) : null}
        <FormFooter form={form} what="source" editing onReload={() => void reload()} onClose={onClose} />
      </form>
    </Modal>
  );
}
