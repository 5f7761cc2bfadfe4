// The document page: hovering an actor in the legend or the text highlights all its mentions.
"use strict";
(function () {
  const text = document.getElementById("article-text");
  if (!text) return;
  function colourOf(el) {
    for (const c of el.classList) if (/^c\d+$/.test(c)) return c;
    return null;
  }
  function light(c, on) {
    if (!c) return;
    for (const m of text.querySelectorAll(".m." + c)) m.classList.toggle("lit", on);
  }
  for (const el of document.querySelectorAll(".legend .chip, #article-text .m")) {
    el.addEventListener("mouseenter", () => light(colourOf(el), true));
    el.addEventListener("mouseleave", () => light(colourOf(el), false));
  }
})();
