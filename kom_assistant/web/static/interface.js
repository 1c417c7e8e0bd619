// Streamlit's own English texts in the interface language: button labels, hints and the names
// screen readers read (aria-label, title, placeholder). Streamlit cannot be told its language,
// so its texts are replaced as it renders them; the English interface puts the originals back.
// Only whole texts that are Streamlit's are replaced, never inside answers or sources.

const ATTRIBUTES = ["aria-label", "title", "placeholder"];
// Answers, sources and messages are never Streamlit's, whatever they say. (Streamlit's own
// button labels, "Upload" among them, are Markdown too, so Markdown alone does not tell.)
const OURS = ['[data-testid="stChatMessage"] [data-testid="stMarkdownContainer"]',
  '[role="dialog"] [data-testid="stMarkdownContainer"]', '[data-testid="stAlert"]',
  '[data-testid="stExpanderDetails"]', "#kom-safety"].join(", ");
// What was replaced, and by what: a value that is no longer ours is Streamlit's again.
const state = { texts: {}, originals: new WeakMap(), ours: new WeakMap() };

function wantedFor(value, original, ours) {
  const from = ours === value ? original : value;
  return [from, state.texts[from] ?? from];
}

function translateAttributes(el) {
  for (const name of ATTRIBUTES) {
    const value = el.getAttribute(name);
    if (value === null) continue;
    const key = `data-kom-${name}`;
    const [original, wanted] = wantedFor(value, el.getAttribute(key), el.getAttribute(`${key}-set`));
    if (wanted !== value) {
      el.setAttribute(key, original);
      el.setAttribute(`${key}-set`, wanted);
      el.setAttribute(name, wanted);
    }
  }
}

function translateText(node) {
  const parent = node.parentElement;
  if (!parent || parent.closest(OURS)) return;
  const value = node.nodeValue.trim();
  if (!value) return;
  const [original, wanted] = wantedFor(value, state.originals.get(node), state.ours.get(node));
  if (wanted !== value) {
    state.originals.set(node, original);
    state.ours.set(node, wanted);
    node.nodeValue = node.nodeValue.replace(value, wanted);
  }
}

function translate(root) {
  if (root.nodeType === Node.TEXT_NODE) return translateText(root);
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  translateAttributes(root);
  for (const el of root.querySelectorAll(ATTRIBUTES.map((a) => `[${a}]`).join(","))) {
    translateAttributes(el);
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) translateText(walker.currentNode);
}

function observe() {
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "attributes") translateAttributes(m.target);
      else if (m.type === "characterData") translateText(m.target);
      else m.addedNodes.forEach(translate);
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ATTRIBUTES,
  });
}

export default function ({ data }) {
  document.documentElement.lang = data.lang;  // so a screen reader speaks Norwegian
  state.texts = data.texts;
  if (!window.komInterfaceObserved) {
    window.komInterfaceObserved = true;
    observe();
  }
  translate(document.body);
}
