import { loadShare, saveShare, takeShareFromUrl } from './share-link';

describe('share link from the page URL', () => {
  beforeEach(() => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
  });

  it('takes ?share= out of the address bar, keeps the other parameters, and keeps the token for the tab', () => {
    window.history.replaceState(null, '', '/?n=talks&share=pls_abc123&view=trends#x');
    expect(takeShareFromUrl()).toBe('pls_abc123');
    expect(`${window.location.pathname}${window.location.search}${window.location.hash}`).toBe('/?n=talks&view=trends#x');
    expect(loadShare()).toBe('pls_abc123');
    // A reload (no parameter any more) still has it.
    expect(takeShareFromUrl()).toBe('pls_abc123');
  });

  it('has none without a parameter or a kept token, and forgets one on request', () => {
    expect(takeShareFromUrl()).toBeNull();
    saveShare('pls_kept');
    expect(takeShareFromUrl()).toBe('pls_kept');
    saveShare(null);
    expect(loadShare()).toBeNull();
  });

  it('ignores an empty parameter but still removes it', () => {
    window.history.replaceState(null, '', '/?share=');
    expect(takeShareFromUrl()).toBeNull();
    expect(window.location.search).toBe('');
  });
});
