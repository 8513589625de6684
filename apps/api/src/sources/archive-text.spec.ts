import { extractText, htmlText } from './archive-text';

describe('htmlText', () => {
  it('keeps the title and the text, one line per block, entities decoded, without scripts, styles, comments or attributes', () => {
    const html = `<html><head><title> Plano   de paz </title><meta name="x" content="no"><style>b{}</style></head>
      <body onload="evil()"><h1>Os 28&nbsp;pontos</h1><p>Um <b>dois</b> <i>três</i><br>quatro</p><script>var x = "<p>no</p>";</script>
      <!-- hidden --><table><tr><td>a</td><td>b</td></tr></table><noscript>js off</noscript><template><p>t</p></template>&lt;script&gt;</body></html>`;
    expect(htmlText(html)).toBe('Plano de paz\nOs 28 pontos\nUm dois três\nquatro\na\nb\n<script>');
  });

  it('reads a page nested 100,000 deep (no recursion) and a fragment without html or body', () => {
    const depth = 100_000;
    expect(htmlText(`${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`)).toBe('deep');
    expect(htmlText('just text &amp; more')).toBe('just text & more');
    expect(htmlText('')).toBe('');
  });
});

describe('extractText', () => {
  it('takes UTF-8 text as it is (a byte-order mark dropped, NUL removed), and refuses other bytes with a 400 naming the body', async () => {
    expect(await extractText(Buffer.from('\ufeffЗапоріжжя\u0000 ok', 'utf8'), 'text/plain')).toBe('Запоріжжя ok');
    await expect(extractText(Buffer.from([0xc3, 0x28]), 'text/plain')).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'body' }] });
    await expect(extractText(Buffer.from('no header'), 'application/pdf')).rejects.toMatchObject({ statusCode: 400 });
  });
});
