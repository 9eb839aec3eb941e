// Turns the full dates of times rendered with {% when … fixed=True %} (inside cached
// fragments: portal/core/templatetags/times.py) into the compact relative text the server
// writes elsewhere: "just now", "5 min", "2 h", "3 d", "Mar 4", "Mar 4, 2025". Without
// JavaScript the date stays, in UTC and labelled so. The server writes these in UTC for every
// reader (so one cached fragment serves readers in every timezone); the title becomes the full
// date in the reader's own time here.
(function () {
  "use strict";
  var MINUTE = 60, HOUR = 3600, DAY = 86400, DAYS_SHOWN = 30;
  var LONG = { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function compact(moment, now) {
    var seconds = (now - moment) / 1000;
    if (seconds < MINUTE) return "just now";
    if (seconds < HOUR) return Math.floor(seconds / MINUTE) + " min";
    if (seconds < DAY) return Math.floor(seconds / HOUR) + " h";
    if (seconds < DAYS_SHOWN * DAY) return Math.floor(seconds / DAY) + " d";
    var text = MONTHS[moment.getMonth()] + " " + moment.getDate();
    return moment.getFullYear() === now.getFullYear() ? text : text + ", " + moment.getFullYear();
  }

  function update(root) {
    var now = new Date();
    root.querySelectorAll("time[data-when]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment)) return;
      element.textContent = compact(moment, now);
      element.title = moment.toLocaleString([], LONG);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { update(document); });
  // Posts that htmx puts into the page (a new reply, an edited post) come with full dates.
  document.addEventListener("htmx:afterSettle", function (event) { update(event.target); });
})();
