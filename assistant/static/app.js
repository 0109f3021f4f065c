// Page behaviour the UI toolkit does not offer: [n] markers open their source card, a refusal's closest
// topics ask about that topic, and "Copy" on an answer gives plain text with the sources as lines.
(() => {
  // The toolkit's own words in the session's language: its translation module (named by the server) is loaded
  // already, so importing it returns the same module, and its changeLocale switches the toolkit's strings.
  window.klasinovLocale = (lang) => {
    const core = window.klasinovToolkitCore;
    if (!core || !lang) return;
    import(new URL(`assets/${core}`, document.baseURI).href)
      .then((module) => module.changeLocale && module.changeLocale(lang))
      .catch(() => {});
  };

  const squash = (text) => (text || "").replace(/\s+/g, " ").trim();

  function cardFor(link) {
    const message = link.closest("[data-testid='bot']") || document;
    const label = squash(link.textContent);
    return [...message.querySelectorAll(".k-card")].find(
      (card) => squash(card.querySelector(".k-card-head .k-ref")?.textContent) === label
    );
  }

  function openSource(link) {
    const card = cardFor(link);
    if (!card) return;
    document.querySelectorAll(".k-card.k-active").forEach((c) => c.classList.remove("k-active"));
    card.classList.add("k-active");
    const full = card.querySelector("details.k-full");
    if (full) full.open = true;
    card.scrollIntoView({ block: "nearest" });
  }

  // A closest topic under a refusal asks about that topic (its section, without the document's title).
  function askTopic(link) {
    const box = document.querySelector("#k-question textarea");
    const send = document.querySelector("#k-send");
    if (!box || !send) return;
    box.value = squash(link.textContent).split(" — ")[0];
    box.dispatchEvent(new Event("input", { bubbles: true }));
    send.click();
  }

  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const link = target ? target.closest("a.k-ref, a.k-topic") : null;
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
      if (link.classList.contains("k-topic")) askTopic(link);
      else openSource(link);
    },
    true
  );

  function sourceLine(card) {
    const part = (selector) => squash(card.querySelector(selector)?.textContent);
    const href = card.querySelector("a.k-open")?.getAttribute("href");
    const badge = part(".k-badge");
    const bits = [part(".k-card-head .k-ref"), part(".k-title"), badge ? `[${badge}]` : "", "—", part(".k-meta")];
    if (href) bits.push(new URL(href, window.location.href).href);
    return bits.filter(Boolean).join(" ");
  }

  // An answer message as plain text: the answer, then "Sumber (n):" and one line per source card.
  function plainText(value) {
    if (typeof value !== "string" || !value.includes('class="k-')) return value;
    const doc = new DOMParser().parseFromString(value, "text/html");
    const lines = [];
    doc.querySelectorAll(".k-sources").forEach((panel) => {
      lines.push(`${squash(panel.querySelector(".k-sources-title")?.textContent)}:`);
      panel.querySelectorAll(".k-card").forEach((card) => lines.push(sourceLine(card)));
      panel.remove();
    });
    doc.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    doc.querySelectorAll(".k-resolved, .k-refused").forEach((el) => el.append("\n"));
    const body = (doc.body.textContent || "").replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
    return lines.length ? `${body}\n\n${lines.join("\n")}` : body;
  }
  window.klasinovPlainText = plainText;

  // The chat's copy button writes the message's raw content; the clipboard gets the plain text instead.
  const clipboard = navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    const write = clipboard.writeText.bind(clipboard);
    clipboard.writeText = (text) => write(plainText(text));
  }
})();
