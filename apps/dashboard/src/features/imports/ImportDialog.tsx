import './imports.css';
import type { ImportReport } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { asApiError } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';
import { Modal } from '../modal/Modal';
import { fileKind, sendImport, type ImportKind } from './send-import';

interface Props {
  /** The negotiation on screen: CSV rows are imported into it. */
  slug: string;
  onClose: () => void;
  /** A dump created (or found) a negotiation: offer to open it. */
  onOpen: (slug: string) => void;
}

interface Problem {
  field: string;
  message: string;
}

const SHOWN_PROBLEMS = 50;

/** Human names of the report's record types. */
const RECORDS: Record<string, string> = {
  negotiations: 'Negotiation',
  parties: 'Parties',
  actors: 'Actors',
  points: 'Points',
  documents: 'Documents',
  provisions: 'Provisions',
  milestones: 'Milestones',
  stanceEvents: 'Stance events',
  retractions: 'Retractions',
  changes: 'Change-log entries',
};

/**
 * Import a negotiation dump or CSV rows: a dry run first shows what would be created or changed and
 * every problem with its row; only a clean dry run can be imported, in one transaction.
 */
export function ImportDialog({ slug, onClose, onOpen }: Props) {
  const { session } = useAuth();
  const client = useQueryClient();
  const fileId = useId();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [csvKind, setCsvKind] = useState<'stances' | 'points'>('stances');
  const [checked, setChecked] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const type = file ? fileKind(file.name) : null;
  const kind: ImportKind | null = type === 'json' ? 'dump' : type === 'csv' ? csvKind : null;
  // The API refuses a dump from anyone but an admin (it creates a negotiation): say so before uploading.
  const dumpRefused = kind === 'dump' && session?.user.role !== 'admin';

  const reset = () => {
    setChecked(null);
    setDone(null);
    setProblems([]);
    setError(null);
  };

  const choose = async (picked: File | undefined) => {
    reset();
    if (!picked) return setFile(null);
    if (!fileKind(picked.name)) {
      setFile(null);
      return setError(`${picked.name}: choose a .json negotiation dump or a .csv file`);
    }
    try {
      setFile({ name: picked.name, text: await readText(picked) });
    } catch {
      setFile(null);
      setError(`${picked.name} could not be read`);
    }
  };

  const run = async (dryRun: boolean) => {
    if (!file || !kind || dumpRefused) return;
    setBusy(true);
    setError(null);
    let answer: ImportReport;
    try {
      answer = await sendImport(kind, slug, file.text, dryRun, session?.token ?? null);
    } catch (err) {
      const refused = asApiError(err);
      setBusy(false);
      setChecked(null);
      setProblems([...refused.details]);
      setError(refused.message);
      return;
    }
    setBusy(false);
    setProblems(answer.errors);
    if (dryRun) setChecked(answer);
    else {
      setDone(answer);
      setChecked(null);
      await client.invalidateQueries();
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void run(checked !== null && checked.errors.length === 0 ? false : true);
  };

  const report = done ?? checked;
  const canImport = checked !== null && checked.errors.length === 0 && !checked.unchanged;

  return (
    <Modal title="Import" onClose={onClose} className="import-dialog">
      <form className="edit-form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <p className="import-dialog__intro">
          A <strong>.json</strong> negotiation dump (from Export → JSON dump) creates that negotiation here (admins only). A <strong>.csv</strong>{' '}
          file adds points or stance events to <strong>{slug}</strong>. Nothing is written until you import a file whose check found no problem.
        </p>
        <label htmlFor={fileId}>File</label>
        <input id={fileId} type="file" accept=".json,.csv,application/json,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
        {type === 'csv' ? (
          <fieldset>
            <legend>The rows are</legend>
            <label>
              <input type="radio" name="csv-kind" checked={csvKind === 'stances'} onChange={() => (setCsvKind('stances'), reset())} /> stance events
            </label>
            <label>
              <input type="radio" name="csv-kind" checked={csvKind === 'points'} onChange={() => (setCsvKind('points'), reset())} /> points
            </label>
          </fieldset>
        ) : null}
        {dumpRefused ? (
          <p className="form-error" role="alert">
            {file?.name} is a negotiation dump: importing it creates a negotiation, which only an admin can do. Ask an admin to import it, or
            choose a .csv file of points or stance events for {slug}.
          </p>
        ) : null}
        {report ? <ReportTable report={report} done={done !== null} /> : null}
        {done?.kind === 'dump' ? (
          <button type="button" onClick={() => onOpen(done.negotiation.slug)}>
            Open “{done.negotiation.title}”
          </button>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {problems.length > 0 ? (
          <div className="import-dialog__problems">
            <p>
              {problems.length} problem{problems.length === 1 ? '' : 's'}: fix the file and check it again.
            </p>
            <ul>
              {problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
                <li key={i}>
                  <strong>{p.field}</strong>: {p.message}
                </li>
              ))}
            </ul>
            {problems.length > SHOWN_PROBLEMS ? <p>… and {problems.length - SHOWN_PROBLEMS} more.</p> : null}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !file || done !== null || dumpRefused}>
            {busy ? 'Working…' : canImport ? 'Import' : 'Check file'}
          </button>
          <button type="button" onClick={onClose}>
            {done ? 'Done' : 'Cancel'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The file's text (FileReader: what every browser has). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(file);
  });
}

function ReportTable({ report, done }: { report: ImportReport; done: boolean }) {
  const rows = Object.entries(report.counts);
  const title = done
    ? report.unchanged
      ? 'Nothing changed: everything in the file is already here.'
      : `Imported into “${report.negotiation.title}”.`
    : report.errors.length > 0
      ? 'The check found problems; nothing can be imported.'
      : report.unchanged
        ? 'Everything in the file is already here; importing would change nothing.'
        : `Check passed: importing into “${report.negotiation.title || report.negotiation.slug}” would do this.`;
  return (
    <div role="status" className="import-dialog__report">
      <p>{title}</p>
      {rows.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Records</th>
              <th scope="col">New</th>
              <th scope="col">Changed</th>
              <th scope="col">Unchanged</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([what, c]) => (
              <tr key={what}>
                <th scope="row">{RECORDS[what] ?? what}</th>
                <td>{c.created}</td>
                <td>{c.updated}</td>
                <td>{c.unchanged}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
