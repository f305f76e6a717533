// Forms inside cached page parts carry no CSRF token of their own: fill in this
// visitor's token (from the page head) just before they are submitted.
document.addEventListener("submit", function (event) {
  var input = event.target.querySelector("input[data-csrf]");
  var meta = document.querySelector("meta[name=csrf-token]");
  if (input && meta) { input.value = meta.content; }
}, true);

// A select marked data-autosubmit sends its form when changed (language, currency, sort);
// no inline handlers, so the Content-Security-Policy allows no inline script at all.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
});

// The assistant's panel: an answered question clears the box and shows the newest answer.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (form.matches && form.matches(".assistant-form") && event.detail.successful) {
    form.reset();
    var log = document.getElementById("assistant-log");
    if (log) { log.scrollTop = log.scrollHeight; }
  }
});
