/* The fact page: scroll the source's text so that the highlighted quote is in the middle of its box. */
"use strict";
(function () {
  const quote = document.getElementById("quote");
  const box = document.getElementById("source-text");
  if (quote && box) box.scrollTop = Math.max(0, quote.offsetTop - box.offsetTop - box.clientHeight / 3);
})();
