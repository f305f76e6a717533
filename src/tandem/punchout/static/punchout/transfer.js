// The punchout transfer page: send the cart back to the procurement system at once (the page
// shows a button for browsers without scripts). A static file: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-punchout-return]");
  if (form) { form.submit(); }
});
