const KEY = 'parley.share';
const PARAM = 'share';
/** Anything plausible is kept and sent: a mangled link is then refused by the API and the viewer told so. */
const SHARE_TOKEN = /^\S{1,500}$/;

/**
 * A share link opens the dashboard as `/?share=pls_…`. The token is kept for this tab
 * (sessionStorage, like the session: a reload or another view still works) and taken out of the
 * address bar, so it is not copied along with a view's URL, kept in history or sent as a Referer.
 */
export function takeShareFromUrl(): string | null {
  try {
    const url = new URL(window.location.href);
    const given = url.searchParams.get(PARAM);
    if (given === null) return loadShare();
    url.searchParams.delete(PARAM);
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    if (!SHARE_TOKEN.test(given)) return loadShare();
    saveShare(given);
    return given;
  } catch {
    return null;
  }
}

export function loadShare(): string | null {
  try {
    const token = window.sessionStorage.getItem(KEY);
    return token && SHARE_TOKEN.test(token) ? token : null;
  } catch {
    return null;
  }
}

export function saveShare(token: string | null): void {
  try {
    if (token) window.sessionStorage.setItem(KEY, token);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the link then lasts until reload.
  }
}
