import type { FieldProblem } from '@parley/contracts';
import { useCallback, useState } from 'react';
import { asApiError, sendJson } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';

/** Field path ("title", "provisions.0.text") → message. */
export type FieldErrors = Record<string, string>;

/** The part of a zod schema the forms use (kept structural: the dashboard does not depend on zod itself). */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Validates a request body with a shared schema: the same rules and messages as the API. */
export function validateWith<T>(schema: Schema<T>, body: unknown): { ok: true; data: T } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return { ok: false, errors };
}

function detailsToErrors(details: readonly FieldProblem[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of details) errors[d.field.replace(/^body\./, '') || 'form'] ??= d.message;
  return errors;
}

export interface EditForm {
  errors: FieldErrors;
  /** A message for the whole form (network, permission, unknown field). */
  formError: string | null;
  /** 409: the record changed since it was loaded; the form offers to reload it. */
  conflict: boolean;
  busy: boolean;
  clearError: (field: string) => void;
  reset: () => void;
  /**
   * Validates `body` with `schema`, sends it, and calls onSaved with the answer. Returns false when
   * nothing was saved (the errors are then in the state).
   */
  submit: <T, R>(schema: Schema<T>, method: 'POST' | 'PATCH', path: string, body: unknown, onSaved: (saved: R) => void) => Promise<boolean>;
}

/** Validation, sending with the session's token, and the error states every edit dialog shares. */
export function useEditForm(): EditForm {
  const { session, expire } = useAuth();
  const token = session?.token;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = useCallback<EditForm['submit']>(
    async (schema, method, path, body, onSaved) => {
      const checked = validateWith(schema, body);
      setConflict(false);
      if (!checked.ok) {
        setErrors(checked.errors);
        setFormError(checked.errors['form'] ?? 'Some fields need attention.');
        return false;
      }
      setErrors({});
      setFormError(null);
      setBusy(true);
      let saved: never;
      try {
        saved = await sendJson<never>(method, path, checked.data, { token });
      } catch (err) {
        const refused = asApiError(err);
        setBusy(false);
        if (refused.status === 401) {
          expire();
          setFormError('Your session expired. Sign in again; your entries are still here.');
        } else if (refused.status === 409 && refused.code === 'VERSION_CONFLICT') {
          setConflict(true);
        } else if (refused.status === 400 || refused.status === 422) {
          const next = detailsToErrors(refused.details);
          setErrors(next);
          setFormError(Object.keys(next).length > 0 ? 'Some fields need attention.' : refused.message);
        } else {
          setFormError(refused.message);
        }
        return false;
      }
      setBusy(false);
      onSaved(saved);
      return true;
    },
    [token, expire],
  );

  const clearError = useCallback((field: string) => setErrors((e) => (e[field] ? { ...e, [field]: '' } : e)), []);
  const reset = useCallback(() => {
    setErrors({});
    setFormError(null);
    setConflict(false);
  }, []);

  return { errors, formError, conflict, busy, clearError, reset, submit };
}
