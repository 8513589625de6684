import './editing.css';
import { useState } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { ImportDialog } from '../imports/ImportDialog';
import { DocumentDialog } from './DocumentDialog';
import { MilestoneDialog } from './MilestoneDialog';
import { NegotiationDialog } from './NegotiationDialog';
import { PointDialog } from './PointDialog';

type Open = 'points' | 'documents' | 'milestones' | 'negotiation' | 'import' | null;

interface Props {
  /** The negotiation on screen; null when there is none yet. */
  slug: string | null;
  onCreatedNegotiation: (slug: string) => void;
}

/** Analyst mode: edit points, documents and milestones; admins also create negotiations. */
export function EditMenu({ slug, onCreatedNegotiation }: Props) {
  const { analyst, session } = useAuth();
  const [open, setOpen] = useState<Open>(null);
  if (!analyst) return null;
  const close = () => setOpen(null);
  return (
    <div className="edit-menu" role="group" aria-label="Edit">
      <span className="edit-menu__label">Edit:</span>
      {slug ? (
        <>
          <button type="button" onClick={() => setOpen('points')}>
            Points
          </button>
          <button type="button" onClick={() => setOpen('documents')}>
            Documents
          </button>
          <button type="button" onClick={() => setOpen('milestones')}>
            Milestones
          </button>
          <button type="button" onClick={() => setOpen('import')}>
            Import…
          </button>
        </>
      ) : null}
      {session?.user.role === 'admin' ? (
        <button type="button" onClick={() => setOpen('negotiation')}>
          New negotiation
        </button>
      ) : null}
      {open === 'points' && slug ? <PointDialog slug={slug} onClose={close} /> : null}
      {open === 'documents' && slug ? <DocumentDialog slug={slug} onClose={close} /> : null}
      {open === 'milestones' && slug ? <MilestoneDialog slug={slug} onClose={close} /> : null}
      {open === 'import' && slug ? (
        <ImportDialog
          slug={slug}
          onClose={close}
          onOpen={(n) => {
            close();
            onCreatedNegotiation(n);
          }}
        />
      ) : null}
      {open === 'negotiation' ? <NegotiationDialog onCreated={onCreatedNegotiation} onClose={close} /> : null}
    </div>
  );
}
