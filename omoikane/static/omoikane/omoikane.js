// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A select marked data-autosubmit sends its form on change; its submit button stays for keyboards and no-JS.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }

  // A letter being written: append the text as the server streams it (without JS the page refreshes).
  const target = document.querySelector("[data-stream-url]");
  if (target && "EventSource" in window) {
    const events = new EventSource(target.dataset.streamUrl);
    // The stream starts from the beginning: it replaces what the page was rendered with.
    let started = false;
    events.addEventListener("text", (event) => {
      if (!started) {
        target.textContent = "";
        started = true;
        // A page rendered while the draft waited for the worker says so; once text arrives it is being written.
        const status = document.querySelector("[data-stream-status][data-writing]");
        if (status) status.textContent = status.dataset.writing;
      }
      target.textContent += JSON.parse(event.data).text;
    });
    events.addEventListener("done", (event) => {
      events.close();
      window.location.assign(JSON.parse(event.data).url);
    });
    for (const name of ["failed", "cancelled", "timeout"]) {
      // The page itself says what happened (or, after a timeout, shows the latest text and opens a new stream).
      events.addEventListener(name, () => {
        events.close();
        window.location.reload();
      });
    }
  }

  // Work the worker does while the page waits (a posting being read, a fit score, a material prepared for
  // search): reload, or follow the address `done` names, once it has finished (without JS the page refreshes).
  const waiting = document.querySelector("[data-progress-url]");
  if (waiting && "EventSource" in window) {
    const events = new EventSource(waiting.dataset.progressUrl);
    events.addEventListener("done", (event) => {
      events.close();
      const url = JSON.parse(event.data).url;
      if (url) window.location.assign(url);
      else window.location.reload();
    });
    for (const name of ["failed", "timeout"]) {
      events.addEventListener(name, () => {
        events.close();
        window.location.reload();
      });
    }
  }

  // A live word count under the letter's textarea.
  for (const counter of document.querySelectorAll("[data-word-count-for]")) {
    const area = document.getElementById(counter.dataset.wordCountFor);
    if (!area) continue;
    const template = counter.textContent.replace(/\d+/, "{n}");
    area.addEventListener("input", () => {
      const words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
      counter.textContent = template.replace("{n}", String(words));
    });
  }

  // The board's scroll hint stays only while the board is wider than the page (without JS it always shows).
  const board = document.querySelector("[data-board]");
  const hint = document.querySelector("[data-board-hint]");
  if (board && hint) {
    const update = () => { hint.hidden = board.scrollWidth <= board.clientWidth + 1; };
    update();
    window.addEventListener("resize", update);
  }
});
