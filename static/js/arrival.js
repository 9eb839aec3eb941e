// A topic address that names a post (#post-123, where "Post reply" and "show" lead) scrolls
// to it without JavaScript, and a keyboard's next Tab starts there. With JavaScript the post
// also takes the focus, so a screen reader reads the reply just posted rather than the top
// of the page. tabindex -1 lets the article hold focus without joining the Tab order.
(function () {
  "use strict";
  function arrive() {
    var match = /^#(post-\d+)$/.exec(window.location.hash);
    var post = match && document.getElementById(match[1]);
    if (!post) return;
    if (!post.hasAttribute("tabindex")) post.setAttribute("tabindex", "-1");
    post.focus();
  }
  document.addEventListener("DOMContentLoaded", arrive);
})();
