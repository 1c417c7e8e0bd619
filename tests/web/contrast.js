// Every visible piece of text on the page whose colour, against the background it is drawn on,
// falls below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Computed
// colours, as the browser renders them: a colour's alpha and every ancestor's opacity fade the
// text into its background (Streamlit draws captions at opacity 0.6). Disabled controls are
// exempt, as WCAG allows.
() => {
  const parse = (css) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a >= 1) break;
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0
      && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const failures = [];
  const seen = new Set();
  const opacity = (el) => {
    let product = 1;
    for (let e = el; e; e = e.parentElement) product *= Number(getComputedStyle(e).opacity);
    return product;
  };
  const check = (el, text, color) => {
    const s = getComputedStyle(el);
    const fg = over({ ...color, a: color.a * opacity(el) }, background(el));
    const bg = background(el);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const key = `${text}|${s.color}`;
    if (ratio + 0.005 < needed && !seen.has(key)) {
      seen.add(key);
      failures.push({ text: text.slice(0, 60), color: s.color, ratio: Math.round(ratio * 100) / 100,
                      needed, size });
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    // Material icon names are ligatures drawn as pictures, not text.
    if (!text || !el || el.closest('[data-testid="stIconMaterial"], noscript, style, script')) continue;
    if (el.closest("[disabled], [aria-disabled='true']") || !visible(el)) continue;
    check(el, text, parse(getComputedStyle(el).color));
  }
  for (const el of document.querySelectorAll("textarea[placeholder], input[placeholder]")) {
    if (!el.value && el.placeholder && visible(el) && !el.disabled) {
      check(el, el.placeholder, parse(getComputedStyle(el, "::placeholder").color));
    }
  }
  return failures;
}
