// The web chat: new messages arrive by long polling, sending does not reload the page.
// Without JavaScript the page works as a plain form with a "Refresh" link.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  if (!log) { return; }
  var form = document.getElementById("chat-form");
  var pollUrl = log.getAttribute("data-poll");
  var last = parseInt(log.getAttribute("data-last") || "0", 10) || 0;
  var stopped = false;

  function add(message) {
    if (message.id <= last) { return; }
    last = message.id;
    var item = document.createElement("li");
    item.className = "msg-" + message.sender + (message.mine ? " mine" : "");
    item.setAttribute("data-id", String(message.id));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = message.label + " · " + message.at;
    var text = document.createElement("span");
    text.className = "text";
    text.setAttribute("dir", "auto");
    text.textContent = message.text;
    item.appendChild(who);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text);
    log.appendChild(item);
    item.scrollIntoView({block: "end"});
  }

  function poll() {
    if (stopped) { return; }
    fetch(pollUrl + "?after=" + last, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        (data.messages || []).forEach(add);
        if (data.status === "closed" && form) { form.hidden = true; }
        setTimeout(poll, data.messages && data.messages.length ? 0 : 100);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "action") { return; }  // ending the chat: a normal submit
      event.preventDefault();
      var data = new FormData(form);
      var box = form.querySelector("textarea");
      fetch(window.location.pathname, {method: "POST", body: data, credentials: "same-origin",
                                       headers: {"X-Requested-With": "fetch"}})
        .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
        .then(function (result) {
          var error = form.querySelector(".chat-error");
          if (error) { error.remove(); }
          if (result[0]) { if (box) { box.value = ""; box.focus(); } return; }
          var p = document.createElement("p");
          p.className = "error chat-error";
          p.setAttribute("role", "alert");
          p.textContent = result[1].error || "";
          form.insertBefore(p, form.firstChild);
        });
    });
  }
  window.addEventListener("pagehide", function () { stopped = true; });
  poll();
})();
