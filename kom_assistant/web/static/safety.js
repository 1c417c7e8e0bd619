// The safety bar: quick exit and help, fixed in view at any scroll position and width, first
// in the tab order. It is built once at the start of <body>, outside Streamlit's React tree, so
// no rerun moves, hides or rebuilds it; each run only hands it new data (labels, contacts).
// Every text is set with textContent: nothing here is parsed as HTML.

const BAR_ID = "kom-safety";

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function leave(bar) {
  // Tell the server to forget the conversation, but do not wait for it: leaving comes first.
  // replace(), not assign(): Back must not return to the assistant.
  try {
    bar.komTrigger?.("exit", true);
  } catch (error) {
    // the page is leaving anyway
  }
  window.location.replace(bar.komData.exit_url);
}

function openHelp(bar, open) {
  const panel = bar.querySelector(".kom-help-panel");
  const button = bar.querySelector(".kom-help");
  panel.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  if (open) panel.querySelector(".kom-help-title").focus();
}

function build() {
  const bar = element("div", { id: BAR_ID, role: "region" });
  const exit = element("button", { type: "button", class: "kom-exit" });
  const help = element("button", {
    type: "button", class: "kom-help", "aria-expanded": "false",
    "aria-controls": "kom-help-panel",
  });
  const skip = element("a", { href: "#", class: "kom-skip" });
  const panel = element("div", {
    id: "kom-help-panel", class: "kom-help-panel", role: "dialog",
    "aria-labelledby": "kom-help-title",
  });
  panel.hidden = true;
  panel.append(
    element("h2", { id: "kom-help-title", class: "kom-help-title", tabindex: "-1" }),
    element("p", { class: "kom-help-intro" }),
    element("ul", { class: "kom-contacts" }),
    element("button", { type: "button", class: "kom-help-close" }),
  );
  bar.append(exit, help, skip, panel);

  exit.addEventListener("click", () => leave(bar));
  help.addEventListener("click", () => openHelp(bar, panel.hidden));
  panel.querySelector(".kom-help-close").addEventListener("click", () => {
    openHelp(bar, false);
    help.focus();
  });
  bar.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      openHelp(bar, false);
      help.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !bar.contains(event.target)) openHelp(bar, false);
  });
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    const box = document.querySelector('[data-testid="stChatInputTextArea"]');
    (box ?? document.getElementById("stMain"))?.focus();
  });
  return bar;
}

function contactItem(contact) {
  const item = element("li");
  item.append(element("strong", {}, contact.name));
  const reach = element("span", { class: "kom-reach" });
  if (contact.tel) reach.append(element("a", { href: `tel:${contact.tel}` }, contact.phone));
  if (contact.email) reach.append(element("a", { href: `mailto:${contact.email}` }, contact.email));
  item.append(reach, element("span", { class: "kom-what" }, contact.what));
  if (contact.source) item.append(element("span", { class: "kom-source" }, contact.source));
  return item;
}

function update(bar, data) {
  const labels = data.labels;
  bar.setAttribute("aria-label", labels.region);
  const exit = bar.querySelector(".kom-exit");
  exit.textContent = labels.leave;
  exit.title = labels.leave_title;
  bar.querySelector(".kom-help").textContent = labels.help;
  bar.querySelector(".kom-skip").textContent = labels.skip;
  bar.querySelector(".kom-help-title").textContent = labels.help;
  bar.querySelector(".kom-help-intro").textContent = labels.intro;
  bar.querySelector(".kom-help-close").textContent = labels.close;
  bar.querySelector(".kom-contacts").replaceChildren(...data.contacts.map(contactItem));
}

export default function (component) {
  const { data, setTriggerValue } = component;
  let bar = document.getElementById(BAR_ID);
  if (!bar) {
    bar = build();
    document.body.prepend(bar);
  }
  bar.komData = data;
  bar.komTrigger = setTriggerValue;
  bar.komMounted = (bar.komMounted ?? 0) + 1;
  update(bar, data);
  return () => {
    // A rerun mounts the component again at once; only a page without it (the neutral page)
    // leaves the count at zero, and then the bar goes too.
    bar.komMounted -= 1;
    setTimeout(() => {
      if (bar.komMounted <= 0) bar.remove();
    }, 1000);
  };
}
