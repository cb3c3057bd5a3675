// Warns before the session ends (the HMRC timeout-dialog pattern): a modal
// dialog a couple of minutes before, that says what happens to unsaved work,
// with "Stay signed in" (the person's own action restarts the idle clock).
// The idle limit and the absolute lifetime stay enforced by the server; this
// only tells the person in time. Without JavaScript nothing is lost either:
// a form sent after the end is kept and shown again after signing in.
(() => {
  // The interface's words come from Django's JavaScript catalogue (djangojs
  // domain, loaded before this file); without it, the English is shown.
  const gettext = (text) =>
    typeof window.gettext === "function" ? window.gettext(text) : text;
  const ngettext = (one, many, n) =>
    typeof window.ngettext === "function" ? window.ngettext(one, many, n) : n === 1 ? one : many;
  const fmt = (text, values) =>
    typeof window.interpolate === "function"
      ? window.interpolate(text, values, true)
      : text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));

  const meta = document.querySelector('meta[name="session-timeout"]');
  if (!meta || typeof HTMLDialogElement === "undefined") return;
  const warnSeconds = Number(meta.dataset.warnSeconds);
  let deadline = Date.now() + Number(meta.dataset.secondsLeft) * 1000;
  let endsBecause = meta.dataset.endsBecause;
  let timer = null;
  let countdown = null;
  let returnFocus = null;

  const csrf = () => {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  };

  function el(tag, attrs = {}, text = "") {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text) node.textContent = text;
    return node;
  }

  const dialog = el("dialog", {
    id: "session-timeout",
    class: "session-dialog",
    "aria-labelledby": "session-timeout-title",
    "aria-describedby": "session-timeout-text session-timeout-work",
  });
  const title = el("h2", { id: "session-timeout-title", class: "h4", tabindex: "-1" });
  const text = el("p", { id: "session-timeout-text" });
  const work = el("p", { id: "session-timeout-work" });
  const actions = el("div", { class: "d-flex flex-wrap gap-2" });
  const stay = el("button", { type: "button", class: "btn btn-primary" }, gettext("Stay signed in"));
  const signIn = el("a", { class: "btn btn-primary", href: "#" }, gettext("Sign in again"));
  const close = el("button", { type: "button", class: "btn btn-outline-secondary" }, gettext("Close"));
  const signOut = el("button", { type: "button", class: "btn btn-link" }, gettext("Sign out"));
  actions.append(stay, signIn, close, signOut);
  dialog.append(title, text, work, actions);

  const inForm = () => document.getElementById("assessment-form") !== null;
  const workText = () =>
    inForm()
      ? gettext(
          "Your answers save themselves as a draft while you work. Anything sent after you " +
            "are signed out is kept for you and shown again when you sign in.",
        )
      : gettext(
          "Everything you have saved is kept. Anything you send after being signed out is " +
            "kept for you and shown again when you sign in.",
        );

  function minutesText(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return fmt(ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes), { minutes });
    }
    return gettext("less than a minute");
  }

  function open() {
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      title.focus();
    }
  }

  function showWarning() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    title.textContent = gettext("You’re about to be signed out");
    work.textContent = workText();
    if (endsBecause === "absolute") {
      text.textContent = fmt(
        gettext(
          "You have been signed in for the longest time a session may last. You will be " +
            "signed out in %(time)s, and will need to sign in again to continue.",
        ),
        { time: minutesText(left) },
      );
      stay.hidden = true;
      close.hidden = false;
    } else {
      text.textContent = fmt(
        gettext("For your security, you will be signed out in %(time)s without activity."),
        { time: minutesText(left) },
      );
      stay.hidden = false;
      close.hidden = true;
    }
    signIn.hidden = true;
    signOut.hidden = false;
    open();
  }

  function showSignedOut() {
    clearInterval(countdown);
    title.textContent = gettext("You have been signed out");
    text.textContent = gettext("For your security, your session has ended.");
    work.textContent = workText();
    signIn.href = `${meta.dataset.loginUrl}?next=${encodeURIComponent(location.pathname)}`;
    signIn.hidden = false;
    signOut.hidden = true;
    stay.hidden = true;
    close.hidden = false;
    open();
  }

  function schedule() {
    clearTimeout(timer);
    clearInterval(countdown);
    const left = deadline - Date.now();
    const warnAt = left - warnSeconds * 1000;
    timer = setTimeout(check, Math.max(0, Math.min(warnAt, 2 ** 31 - 1)));
  }

  // Before warning, ask the server: another tab or an autosave may have
  // renewed the session. The check itself does not count as activity.
  async function check() {
    try {
      const response = await fetch(meta.dataset.statusUrl, { credentials: "same-origin" });
      const data = await response.json();
      update(data);
    } catch {
      update({ seconds_left: Math.round((deadline - Date.now()) / 1000), ends_because: endsBecause });
    }
  }

  function update(data) {
    if (data.ends_because === "signed_out" || data.seconds_left <= 0) {
      showSignedOut();
      return;
    }
    deadline = Date.now() + data.seconds_left * 1000;
    endsBecause = data.ends_because;
    if (data.seconds_left > warnSeconds + 1) {
      if (dialog.open && stay.hidden === false) dialog.close();
      schedule();
      return;
    }
    showWarning();
    clearInterval(countdown);
    countdown = setInterval(() => {
      if (Date.now() >= deadline) check();
      else if (!signIn.hidden) clearInterval(countdown);
      else showWarning();
    }, 15000);
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, deadline - Date.now()) + 500);
  }

  stay.addEventListener("click", async () => {
    const response = await fetch(meta.dataset.renewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    });
    const data = await response.json();
    dialog.close();
    update(data);
  });
  close.addEventListener("click", () => dialog.close());
  signOut.addEventListener("click", () => {
    const form = el("form", { method: "post", action: meta.dataset.logoutUrl });
    form.append(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf() }));
    document.body.append(form);
    form.submit();
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape: the same as "Stay signed in" while that is offered.
    if (!stay.hidden) {
      event.preventDefault();
      stay.click();
    }
  });
  dialog.addEventListener("close", () => {
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  });

  // Other scripts (the autosave) report a renewed session.
  document.addEventListener("session:renewed", (event) => update(event.detail));

  document.addEventListener("DOMContentLoaded", () => {
    document.body.append(dialog);
    schedule();
  });
})();
