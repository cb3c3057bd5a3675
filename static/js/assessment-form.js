// The assessment form, enhanced: answers save themselves as a draft, the
// "N of 31 answered" count follows the answers, touching a carried-over
// answer confirms it, notes show how many characters are left near the
// limit, and the error summary takes the focus. The form works without it.
document.addEventListener("DOMContentLoaded", () => {
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

  const form = document.getElementById("assessment-form");
  if (!form) return;

  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Progress
  const answered = document.querySelector("[data-progress-answered]");
  const rows = Array.from(form.querySelectorAll("fieldset.factor-row"));
  const countAnswered = () =>
    rows.filter((row) => row.querySelector('input[type="radio"]:checked')).length;
  const showProgress = () => {
    if (answered) answered.textContent = String(countAnswered());
  };

  // Carried-over answers: any touch on the row confirms it; a level's button
  // confirms, after reading them, those of the level not touched yet.
  const confirmers = new Map();
  rows.forEach((row) => {
    const confirm = row.querySelector('.carried-confirm input[type="checkbox"]');
    if (!confirm) return;
    const marker = row.querySelector("[data-carried]");
    const touched = () => {
      confirm.checked = true;
      row.classList.remove("is-carried");
      if (marker) marker.hidden = true;
    };
    confirmers.set(row, touched);
    row.querySelectorAll('input[type="radio"]').forEach((radio) => {
      radio.addEventListener("click", touched);
    });
    row.querySelector("textarea")?.addEventListener("input", touched);
    confirm.addEventListener("change", () => {
      row.classList.toggle("is-carried", !confirm.checked);
      if (marker) marker.hidden = confirm.checked;
    });
    if (confirm.checked && marker) {
      row.classList.remove("is-carried");
      marker.hidden = true;
    }
  });

  form.querySelectorAll("[data-confirm-level]").forEach((button) => {
    const section = button.closest("section");
    const open = () =>
      Array.from(section.querySelectorAll("fieldset.is-carried")).filter((row) =>
        confirmers.has(row),
      );
    const refresh = () => {
      button.hidden = open().length === 0;
    };
    button.addEventListener("click", () => {
      open().forEach((row) => confirmers.get(row)());
      refresh();
      form.dispatchEvent(new Event("change"));
      const heading = section.querySelector("h2");
      if (heading) heading.focus();
    });
    section.addEventListener("change", refresh);
    refresh();
  });

  // Characters left, shown from 80 % of the limit.
  const max = Number(form.dataset.maxNote);
  form.querySelectorAll("textarea[maxlength]").forEach((area) => {
    const counter = document.createElement("p");
    counter.className = "form-text note-counter";
    counter.id = `${area.id}_count`;
    counter.setAttribute("aria-live", "polite");
    counter.hidden = true;
    area.after(counter);
    const limit = Number(area.getAttribute("maxlength")) || max;
    const show = () => {
      const left = limit - area.value.length;
      counter.hidden = area.value.length < limit * 0.8;
      counter.textContent = fmt(
        ngettext(
          "%(left)s of %(limit)s character left",
          "%(left)s of %(limit)s characters left",
          limit,
        ),
        { left, limit },
      );
    };
    area.addEventListener("input", show);
    show();
  });

  // Autosave
  const url = form.dataset.autosaveUrl;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector('input[name="version"]');
  let timer = null;
  let saving = false;
  let again = false;
  let pendingSubmit = null;
  // What the server holds: an autosave with nothing new is not sent (it
  // would only move the version on under a page that is being reloaded).
  const snapshot = () => {
    const data = new FormData(form);
    data.delete("version");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  };
  let saved = snapshot();
  const say = (text) => {
    if (status) status.textContent = text;
  };

  async function save() {
    if (!url) return;
    if (saving) {
      again = true;
      return;
    }
    const current = snapshot();
    if (current === saved) return;
    saving = true;
    say(gettext("Saving…"));
    const data = new FormData(form);
    data.delete("complete");
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.type === "opaqueredirect") {
        // Signed out: the server kept what was sent, for after signing in.
        say(
          gettext(
            "You have been signed out. What you entered is kept and shown again when you sign in.",
          ),
        );
        document.dispatchEvent(
          new CustomEvent("session:renewed", { detail: { seconds_left: 0, ends_because: "signed_out" } }),
        );
        return;
      }
      const body = await response.json();
      if (response.ok) {
        version.value = body.version;
        saved = current;
        say(fmt(gettext("Draft saved automatically at %(time)s."), { time: body.saved_at }));
        document.dispatchEvent(new CustomEvent("session:renewed", { detail: body }));
      } else if (response.status === 422) {
        say(`${body.error} ${body.problems.join(" ")}`);
      } else {
        say(body.error);
      }
    } catch {
      say(
        gettext("Not saved automatically (no connection): keep the page open and press “Save draft”."),
      );
    } finally {
      saving = false;
      if (pendingSubmit) {
        // "Save draft" or "Complete" was pressed while an autosave was under
        // way: send the form now, with the version that autosave returned.
        const submitter = pendingSubmit;
        pendingSubmit = null;
        form.requestSubmit(submitter);
      } else if (again) {
        again = false;
        save();
      }
    }
  }

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  };
  form.addEventListener("change", () => {
    showProgress();
    later();
  });
  form.addEventListener("input", later);
  form.addEventListener("submit", (event) => {
    clearTimeout(timer);
    timer = null;
    if (saving) {
      event.preventDefault();
      pendingSubmit = event.submitter;
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && timer) {
      clearTimeout(timer);
      timer = null;
      save();
    }
  });
});
