// Forms inside cached page parts carry no CSRF token of their own: fill in this
// visitor's token (from the page head) just before they are submitted.
document.addEventListener("submit", function (event) {
  var input = event.target.querySelector("input[data-csrf]");
  var meta = document.querySelector("meta[name=csrf-token]");
  if (input && meta) { input.value = meta.content; }
}, true);
