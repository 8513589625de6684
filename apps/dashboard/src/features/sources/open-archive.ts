import { readTextBlob } from '../../shared/api';

/**
 * Opens a source's archived copy in a new tab, read with the dashboard's credential (a session's
 * token cannot ride in a link; a share link's works too) and shown as plain text from a blob: the
 * copy is never rendered as HTML. The tab is opened during the click, so no pop-up blocker stops it.
 */
export async function openArchive(path: string, open: typeof window.open = window.open.bind(window)): Promise<void> {
  const tab = open('', '_blank');
  try {
    const url = URL.createObjectURL(await readTextBlob(path));
    if (tab) tab.location.href = url;
    else open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) {
    tab?.close();
    throw err;
  }
}
