// The printed notices' "Print" button (templates/insurance_notice.html). A file, not an inline handler: the
// Content-Security-Policy allows scripts from this site only. Dash pages load it too; it acts on that button only.
document.addEventListener("click", function (event) {
  if (event.target && event.target.id === "print-notice") {
    window.print();
  }
});
